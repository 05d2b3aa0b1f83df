"""Demo data for FIS: synthetic exports of Kreis Siegen-Wittgenstein (05970) in the real formats.

`fis.demo.generate` writes the files in data/demo/; `fis.demo.build` loads them into a warehouse.
"""
