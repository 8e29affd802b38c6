"""reactive."""
