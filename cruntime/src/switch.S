/*
 * switch.S -- coroutine context switch (prefix mesh_ctx_).
 *
 *   void mesh_ctx_switch(void **save_sp, void *new_sp);
 *
 * Pushes the callee-saved registers on the current stack, stores the stack
 * pointer in *save_sp, loads new_sp and pops the registers saved there, then
 * returns into the other context. A fresh stack is prepared by
 * meshP_stack_init (proc.c) so that the first switch "returns" into the
 * process trampoline.
 */
#if defined(__x86_64__)
    .text
    .globl mesh_ctx_switch
    .type mesh_ctx_switch, @function
mesh_ctx_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    /* The slot below the registers once held MXCSR and the x87 control word.
     * Nothing in the runtime or in compiled code changes the floating-point
     * modes, so every process runs with its worker thread's (the defaults)
     * and a switch need not save them: ldmxcsr and fldcw cost as much as
     * the rest of the switch. The slot stays (stack_init fills it). */
    subq $8, %rsp
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size mesh_ctx_switch, .-mesh_ctx_switch
#elif defined(__aarch64__)
    .text
    .globl mesh_ctx_switch
    .type mesh_ctx_switch, %function
mesh_ctx_switch:
    sub sp, sp, #176
    stp x19, x20, [sp, #0]
    stp x21, x22, [sp, #16]
    stp x23, x24, [sp, #32]
    stp x25, x26, [sp, #48]
    stp x27, x28, [sp, #64]
    stp x29, x30, [sp, #80]
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
    mov x2, sp
    str x2, [x0]
    mov sp, x1
    ldp x19, x20, [sp, #0]
    ldp x21, x22, [sp, #16]
    ldp x23, x24, [sp, #32]
    ldp x25, x26, [sp, #48]
    ldp x27, x28, [sp, #64]
    ldp x29, x30, [sp, #80]
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
    add sp, sp, #176
    ret
    .size mesh_ctx_switch, .-mesh_ctx_switch
#else
#error "mesh_ctx_switch: unsupported architecture"
#endif
    .section .note.GNU-stack,"",@progbits
