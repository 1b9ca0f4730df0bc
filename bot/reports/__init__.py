"""The commune's figures, village by village, and the forms they are reported in."""
