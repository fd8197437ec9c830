/*
 * mesh/actor.h -- processes, messages and services.
 *
 * Messages are deep-copied at send (through the type descriptors) into a
 * fragment the receiver adopts into its heap; system messages (service
 * CALL / CAST / REPLY) travel in the envelope, never in user payload.
 * `receive` is selective: messages no arm accepts stay queued in order.
 *
 * Scheduling: one worker thread per core (MESH_WORKERS=N overrides) runs the
 * processes, switching at reductions, receives and service calls; receive
 * timeouts and sleeps are timers in a heap (docs/internals/scheduler.md).
 *
 * Failure (signal.c): every process ends with a reason, the tags of Mesh's
 * builtin `ExitReason`: 0 Normal, 1 Shutdown, 2 Killed, 3 Crashed(String),
 * 4 Noproc. Links carry exit signals (an abnormal reason kills the linked
 * process with the same reason unless it traps exits; a process trapping exits
 * receives an Exit notification instead); monitors deliver Down notifications.
 * Notifications are envelopes of their own kinds, never user payload.
 */
#ifndef MESH_ACTOR_H
#define MESH_ACTOR_H

#include "rt.h"

/* Start a process running body(ctx, body) (closure ABI, no arguments; the
 * closure and everything it references are deep-copied into the new process).
 * Returns its Pid. */
MeshInt mesh_actor_spawn(MeshCtx *ctx, MeshClosure *body);
MeshInt mesh_actor_spawn_link(MeshCtx *ctx, MeshClosure *body);
MeshInt mesh_actor_self(MeshCtx *ctx);
/* Deep-copy msg (a value of type type_id) into pid's mailbox. Sending to a
 * dead process drops the message. */
void mesh_actor_send(MeshCtx *ctx, MeshInt pid, MeshTypeId type_id, MeshSlot msg);
/* Selective receive: scan the mailbox in arrival order calling
 * accept(ctx, accept, msg) (closure ABI, Bool result); remove the first
 * accepted message and return 1 (fetch it with mesh_actor_received). Blocks
 * until one arrives; returns 0 once timeout_ms has passed (< 0: forever,
 * 0: poll). */
MeshBool mesh_actor_receive(MeshCtx *ctx, MeshClosure *accept, MeshInt timeout_ms);
MeshSlot mesh_actor_received(MeshCtx *ctx);
/* A receive with arms for system notifications: like mesh_actor_receive, but
 * Down / Exit notifications are also offered, as values of sys_type (the
 * compiler's builtin sum `Down(Int, Pid, ExitReason) | Exit(Pid, ExitReason)`),
 * to accept_sys. Returns 0 on timeout, 1 for a user message, 2 for a
 * notification; mesh_actor_received returns the value either way. */
MeshInt mesh_actor_receive_signals(MeshCtx *ctx, MeshClosure *accept, MeshClosure *accept_sys, MeshInt timeout_ms,
                                   MeshTypeId sys_type);
/* Hibernation: an actor blocked in a receive at the start of its function, with
 * nothing below it on its stack (ctx->base_frame), can give its stack back and
 * restart later from a closure that calls the function again with the same
 * arguments -- equivalent, since the receive was the first thing it did.
 * may_hibernate: its mailbox is empty and the program holds enough stacks that
 * it is worth it (MESH_HIBERNATE=N: more than N stacks in use; 0: always).
 * hibernate: drops the stack and does not return, unless a message arrived
 * meanwhile (it returns and the caller receives as usual). */
MeshBool mesh_actor_may_hibernate(MeshCtx *ctx);
void mesh_actor_hibernate(MeshCtx *ctx, MeshClosure *restart);
/* Run cb(ctx, cb) when the current process ends. */
void mesh_actor_set_terminate(MeshCtx *ctx, MeshClosure *cb);
void mesh_actor_link(MeshCtx *ctx, MeshInt pid);
void mesh_actor_unlink(MeshCtx *ctx, MeshInt pid);
/* Process registry: register name -> pid (0 on success, 1 when the name is
 * taken by a live process or pid is not running: the reference's codes); whereis returns the pid
 * registered under name, or 0. A name is released when its process ends. */
MeshInt mesh_process_register(MeshCtx *ctx, MeshString *name, MeshInt pid);
MeshInt mesh_process_whereis(MeshCtx *ctx, MeshString *name);
/* Monitors: a fresh reference; when pid ends (at once, reason Noproc, when it
 * is not running) the caller gets Down(ref, pid, reason). demonitor removes
 * the monitor and drops an undelivered Down: 0, or 1 when ref is unknown. */
MeshInt mesh_process_monitor(MeshCtx *ctx, MeshInt pid);
MeshInt mesh_process_demonitor(MeshCtx *ctx, MeshInt ref);
/* Trap exits on/off for the calling process; returns the previous setting. */
MeshBool mesh_process_trap_exit(MeshCtx *ctx, MeshBool on);
/* Send pid an exit signal with reason (an ExitReason value): Killed always
 * kills; otherwise a process trapping exits gets Exit(self, reason), Normal is
 * ignored, and any other reason ends it with that reason. */
void mesh_process_exit(MeshCtx *ctx, MeshInt pid, MeshObj *reason);
/* The reason the calling process is ending with: meant for `terminate`
 * blocks (Crashed(msg) after a panic, the killer's reason after a kill);
 * Normal while it runs normally. */
MeshObj *mesh_process_exit_reason(MeshCtx *ctx, MeshTypeId result_type);
/* = exit(pid, Killed) */
void mesh_process_kill(MeshCtx *ctx, MeshInt pid);
/* Timeout of this process's later service calls in ms (default 5000, < 0:
 * none); returns the previous one. */
MeshInt mesh_process_set_call_timeout(MeshCtx *ctx, MeshInt ms);
/* Sleep for ms milliseconds (other processes run meanwhile). */
void mesh_timer_sleep(MeshCtx *ctx, MeshInt ms);

/* Deliver msg to pid after ms milliseconds (the message is copied now; its
 * static type is not needed: it is copied by its object headers). */
void mesh_timer_send_after(MeshCtx *ctx, MeshInt pid, MeshInt ms, MeshSlot msg);

/* Jobs: f runs in a new process; await returns Result<T, String> (result_type)
 * with Ok(value) or Err(panic message | "timeout" | "job not found"). */
MeshInt mesh_job_async(MeshCtx *ctx, MeshClosure *f, MeshTypeId value_type);
MeshObj *mesh_job_await(MeshCtx *ctx, MeshInt pid, MeshTypeId result_type);
MeshObj *mesh_job_await_timeout(MeshCtx *ctx, MeshInt pid, MeshInt ms, MeshTypeId result_type);
/* One job per element, results (List<Result<B, String>>, list_type) in element order. */
struct MeshList *mesh_job_map(MeshCtx *ctx, struct MeshList *items, MeshClosure *f, MeshTypeId list_type);

/* Services: requests are values of a compiler-emitted request type. A call
 * panics the caller ("service call to <pid> failed: server exited: <reason>" /
 * "... timed out after <ms> ms") when the server is not running, ends before
 * replying, or does not reply in time; a late reply is dropped. */
MeshSlot mesh_service_call(MeshCtx *ctx, MeshInt pid, MeshTypeId req_type, MeshSlot req);
/* The same, never panicking: Ok(reply) or Err(the message the panic would
 * have), a Result<T, String> object of result_type. */
MeshObj *mesh_service_try_call(MeshCtx *ctx, MeshInt pid, MeshTypeId req_type, MeshSlot req, MeshTypeId result_type);
void mesh_service_cast(MeshCtx *ctx, MeshInt pid, MeshTypeId req_type, MeshSlot req);
/* Server side: the next CALL or CAST request (blocks). */
MeshObj *mesh_service_next(MeshCtx *ctx);
/* Answer the request last returned by mesh_service_next if it was a CALL. */
void mesh_service_reply(MeshCtx *ctx, MeshTypeId reply_type, MeshSlot reply);

#endif
