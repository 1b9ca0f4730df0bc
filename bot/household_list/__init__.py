"""The commune's household list: read from CSV or XLSX, checked row by row, loaded, written back."""
