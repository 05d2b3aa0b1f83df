"""The kleiner Familienbericht: German numbers, generated text and the rendered report."""
