"""aiaccess: a linked-data knowledge graph of access to American AI services in China, 2024."""

__version__ = "0.1.0"
