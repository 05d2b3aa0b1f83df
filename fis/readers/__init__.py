"""Readers turn one export file into a long frame, without knowing what it means."""
