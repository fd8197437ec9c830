"""Mesh toolchain: the `meshc` compiler and its stages (syntax, check, lower, codegen, driver)."""

__version__ = "0.1.0"
