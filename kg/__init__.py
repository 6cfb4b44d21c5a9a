"""kg: a knowledge graph of who did what to whom, built from news articles."""
