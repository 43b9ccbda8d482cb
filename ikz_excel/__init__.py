"""ikz_excel: Arbeitsmappen für interkommunale Zusammenarbeit erzeugen, prüfen und konsolidieren."""

__version__ = "0.1.0"
