"""polyglot: behaviour specs in 20 human languages -> tested code in 20 programming languages."""

__version__ = "0.1.0"
