"""MIR -> LLVM IR -> native object file.

Entry point: `emit_object(program, obj_path, opt_level=0, llvm_ir_path=None)`.
"""

from __future__ import annotations

import functools

import llvmlite.binding as llvm

from toolchain.codegen.emit import CodegenError, Emitter
from toolchain.codegen.rtdecls import load_runtime_decls
from toolchain.lower import mir

__all__ = ["CodegenError", "emit_object", "emit_object_from_ir", "emit_ir"]


@functools.lru_cache(maxsize=4)
def _target_machine(opt_level: int) -> llvm.TargetMachine:
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    target = llvm.Target.from_default_triple()
    return target.create_target_machine(opt=min(max(opt_level, 0), 3), reloc="pic", codemodel="default")


def emit_ir(program: mir.Program, opt_level: int = 0) -> str:
    """The unoptimised textual LLVM IR of `program`."""
    tm = _target_machine(opt_level)
    e = Emitter(program, load_runtime_decls(), tm.triple, str(tm.target_data))
    e.emit_program()
    return str(e.m)


def emit_object(program: mir.Program, obj_path: str, *, opt_level: int = 0,
                llvm_ir_path: str | None = None) -> None:
    emit_object_from_ir(emit_ir(program, opt_level), obj_path, opt_level=opt_level, llvm_ir_path=llvm_ir_path)


def emit_object_from_ir(text: str, obj_path: str, *, opt_level: int = 0, llvm_ir_path: str | None = None) -> None:
    """Parse textual IR from `emit_ir`, optimise it at `opt_level` and write the object file."""
    tm = _target_machine(opt_level)
    mod = llvm.parse_assembly(text)
    mod.verify()
    if opt_level > 0:
        pto = llvm.create_pipeline_tuning_options(speed_level=min(opt_level, 3))
        pb = llvm.create_pass_builder(tm, pto)
        pm = pb.getModulePassManager()
        pm.run(mod, pb)
    if llvm_ir_path is not None:
        with open(llvm_ir_path, "w") as fh:
            fh.write(str(mod))
    with open(obj_path, "wb") as fh:
        fh.write(tm.emit_object(mod))
