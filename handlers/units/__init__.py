"""Administrative units: the 2025 reference data, loading and importing units, and a
citizen's choice of commune with old addresses understood."""
