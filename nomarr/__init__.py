"""nomarr: the data-access layer of a music-library tagging application."""
