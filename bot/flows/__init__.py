"""Loading and linting flow files."""
