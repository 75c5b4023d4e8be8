"""Data shipped with Registre (vocabularies, fonts, translations), read with importlib.resources."""
