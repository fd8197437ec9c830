/*
 * mesh/queue.h -- Queue<T>: persistent FIFO. push and pop are amortised O(1)
 * (a queue is a list view: push appends in place onto the newest version,
 * pop takes an O(1) tail view).
 */
#ifndef MESH_QUEUE_H
#define MESH_QUEUE_H

#include "rt.h"

typedef struct MeshQueue MeshQueue;

MeshQueue *mesh_queue_new(MeshCtx *ctx, MeshTypeId queue_type);   /* MESH_TYPE_QUEUE: Int elements */
MeshQueue *mesh_queue_push(MeshCtx *ctx, MeshQueue *q, MeshSlot x);
/* (front element, rest of the queue) as a 2-tuple of type tuple_type; panics if empty. */
MeshObj *mesh_queue_pop(MeshCtx *ctx, MeshQueue *q, MeshTypeId tuple_type);
MeshSlot mesh_queue_peek(MeshCtx *ctx, MeshQueue *q);               /* panics if empty */
MeshInt mesh_queue_size(MeshQueue *q);
MeshBool mesh_queue_is_empty(MeshQueue *q);

#endif
