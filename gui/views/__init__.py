"""Views: the contour race and the per-weight plots."""
