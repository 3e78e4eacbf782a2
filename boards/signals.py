"""Signal receivers of the boards app."""
