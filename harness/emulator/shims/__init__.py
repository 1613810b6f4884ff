"""moto patches that restore AWS behaviour the emulated runs depend on (see moto_shims.py)."""
