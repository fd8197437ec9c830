/*
 * queue.c -- persistent FIFO queues (prefix mesh_queue_): a QUEUE object
 * wrapping a list whose type id is the queue's own (its descriptor's `elem`
 * is the element type, which is all the list needs).
 */
#include "internal.h"

static MeshQueue *wrap(MeshCtx *ctx, MeshTypeId t, MeshList *items)
{
    MeshQueue *q = (MeshQueue *)meshP_alloc_priv(ctx, sizeof(MeshQueue), t, MESH_KIND_QUEUE);
    q->items = items;
    return q;
}

MeshQueue *mesh_queue_new(MeshCtx *ctx, MeshTypeId queue_type)
{
    return wrap(ctx, queue_type, mesh_list_new(ctx, queue_type));
}

MeshQueue *mesh_queue_push(MeshCtx *ctx, MeshQueue *q, MeshSlot x)
{
    return wrap(ctx, q->hdr.type_id, mesh_list_append(ctx, q->items, x));
}

MeshObj *mesh_queue_pop(MeshCtx *ctx, MeshQueue *q, MeshTypeId tuple_type)
{
    if (!q->items->len) meshP_panicf(ctx, "Queue.pop: empty queue");
    MeshQueue *rest = wrap(ctx, q->hdr.type_id, mesh_list_tail(ctx, q->items));
    MeshSlot pair[2] = {meshP_list_at(q->items, 0), meshP_p2s(rest)};
    return mesh_tuple_new(ctx, tuple_type, pair, 2);
}

MeshSlot mesh_queue_peek(MeshCtx *ctx, MeshQueue *q)
{
    if (!q->items->len) meshP_panicf(ctx, "Queue.peek: empty queue");
    return meshP_list_at(q->items, 0);
}

MeshInt mesh_queue_size(MeshQueue *q) { return q->items->len; }
MeshBool mesh_queue_is_empty(MeshQueue *q) { return q->items->len == 0; }
