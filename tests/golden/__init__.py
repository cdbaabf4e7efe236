"""Carnets de référence (paquet : son conftest ne masque pas celui de tests/)."""
