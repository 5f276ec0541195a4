"""The districts and their effort areas: the pages that show them."""
