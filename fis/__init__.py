"""FIS: Familienstatistisches Informationssystem, an indicator warehouse for German municipalities."""

__version__ = "0.1.0"
