"""Benchmarks for datasette-palmyra: speed against peer tools, accuracy on other projects' suites."""
