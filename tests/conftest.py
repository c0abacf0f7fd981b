"""Test-wide settings. TRITON_INTERPRET must be set before any @triton.jit runs."""
import os

os.environ.setdefault("TRITON_INTERPRET", "1")
os.environ.setdefault("PYTHONHASHSEED", "0")
# Tiny test models run an order of magnitude faster on one thread than on two busy cores.
os.environ.setdefault("OMP_NUM_THREADS", "1")
