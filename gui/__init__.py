"""Optimizer Lab's Qt layer: widgets and one worker thread; no maths lives here."""
