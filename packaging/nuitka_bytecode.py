"""Nuitka user plugin (packaging/build_release.py passes it with --user-plugin).

Packages whose speed does not matter to the compiler (command-line parsing and its pydantic
validation) are put into the binary as bytecode instead of being compiled to C: the same
behaviour, and a Nuitka build that compiles about a hundred fewer C files on two cores. The
compiler itself, the parser (textX, Arpeggio) and llvmlite stay compiled.
"""

from __future__ import annotations

from nuitka.plugins.PluginBase import NuitkaPluginBase

BYTECODE_PACKAGES = ("pydantic", "pydantic_core", "typer", "click", "shellingham", "annotated_doc",
                     "annotated_types", "typing_inspection", "typing_extensions")


class NuitkaPluginMeshBytecode(NuitkaPluginBase):
    plugin_name = "mesh-bytecode"
    plugin_desc = "Keep the CLI's support packages as bytecode (faster release builds)."

    @staticmethod
    def isAlwaysEnabled() -> bool:
        return True

    def decideCompilation(self, module_name):  # noqa: ANN001 - Nuitka's ModuleName
        if module_name.hasOneOfNamespaces(BYTECODE_PACKAGES):
            return "bytecode"
        return None
