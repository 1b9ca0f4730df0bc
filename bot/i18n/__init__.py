"""Translation catalogs."""
