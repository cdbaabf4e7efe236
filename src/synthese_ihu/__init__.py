"""Synthèse annuelle du suivi de l'action Instituts Hospitalo-Universitaires (IHU)."""

__version__ = "0.1.0"
