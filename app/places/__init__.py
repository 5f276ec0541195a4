"""Places: district boundaries, points on a map, and the address lookup that connects them."""
