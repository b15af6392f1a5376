"""`cetool init`: a new docs repo from the shipped templates."""
