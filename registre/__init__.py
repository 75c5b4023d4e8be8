"""Registre: the GDPR Article 30 record of processing activities, kept in an encrypted file.

This package is the core (model, field schema, storage, checks, exports, command line). It never
imports Qt; the desktop application lives in the ``ui`` package.
"""

__version__ = "0.1.0"
