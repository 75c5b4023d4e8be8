"""Registre's desktop application (PySide6): windows and table models over ``registre`` services."""
