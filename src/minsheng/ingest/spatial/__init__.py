"""Spatial inputs for accessibility: demand and supply points, cost tables, road networks."""
