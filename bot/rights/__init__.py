"""The residents' rights over their data: their data as a file, and its retention."""
