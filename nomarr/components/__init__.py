"""Components: self-contained building blocks used by workflows and services; they reach data through the Database."""
