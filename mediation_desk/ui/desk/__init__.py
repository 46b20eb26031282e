"""What needs the user today: the desk, visits due, the head's dashboard and the publicity list."""
