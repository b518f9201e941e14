"""Observation files (CSV, XLSX, wide and long templates) into validated yearly values."""
