"""The one C extension; everything else about the package is in pyproject.toml.

``painfellow match run`` on a plain document of singles runs in C (see
src/painfellow/core/matching/_fastrun.c). Where it cannot be built, the same command runs
in Python, with the same results.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "painfellow.core.matching._fastrun",
            sources=["src/painfellow/core/matching/_fastrun.c"],
            optional=True,
        )
    ]
)
