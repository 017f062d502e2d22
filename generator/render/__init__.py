"""Renderers: each turns the model into one output format and never reads YAML."""
