/* Processes and messages: spawn, deep-copied sends, selective receive,
 * timeouts, services, many processes, a panicking process. */
#include "mesh/mesh.h"

static const MeshField req_fields[] = {{NULL, MESH_TYPE_INT}};
static const MeshVariant req_variants[] = {{"Add", 1, req_fields}, {"Get", 0, NULL}, {"Stop", 0, NULL}};
static const MeshField crashed_fields[] = {{NULL, MESH_TYPE_STRING}};
static const MeshVariant reason_variants[] = {{"Normal", 0, NULL}, {"Shutdown", 0, NULL}, {"Killed", 0, NULL},
                                              {"Crashed", 1, crashed_fields}, {"Noproc", 0, NULL}};
static const MeshField down_fields[] = {{NULL, MESH_TYPE_INT}, {NULL, MESH_TYPE_PID}, {NULL, 66}};
static const MeshField exit_fields[] = {{NULL, MESH_TYPE_PID}, {NULL, 66}};
static const MeshVariant signal_variants[] = {{"Down", 3, down_fields}, {"Exit", 2, exit_fields}};
/* 64 List<List<String>>, 65 Request = Add(Int) | Get | Stop, 66 ExitReason, 67 Signal */
static const MeshType types[] = {
    {.kind = MESH_KIND_LIST, .boxed = 1, .name = "List", .elem = MESH_TYPE_LIST_STRING},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Request", .nvariants = 3, .variants = req_variants},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "ExitReason", .flags = MESH_TFLAG_DISPLAY, .nvariants = 5,
     .variants = reason_variants},
    {.kind = MESH_KIND_VARIANT, .boxed = 1, .name = "Signal", .flags = MESH_TFLAG_DISPLAY, .nvariants = 2,
     .variants = signal_variants},
};
#define TEST_TYPES types
#include "check.h"

static const MeshObj GET = {65, MESH_KIND_VARIANT, MESH_GC_STATIC, 1};
static const MeshObj STOP = {65, MESH_KIND_VARIANT, MESH_GC_STATIC, 2};

static MeshSlot accept_none(MeshCtx *ctx, MeshClosure *self, MeshSlot m) { (void)ctx; (void)self; (void)m; return 0; }
static MeshSlot accept_eq(MeshCtx *ctx, MeshClosure *self, MeshSlot m) { (void)ctx; return m == self->env[0]; }

static MeshSlot recv_int(MeshCtx *ctx, MeshClosure *accept, int64_t timeout, int *ok)
{
    *ok = (int)mesh_actor_receive(ctx, accept, timeout);
    return *ok ? mesh_actor_received(ctx) : 0;
}

/* echo: receive (reply_to, n) forever as two messages; answer n * 2 */
static void doubler(MeshCtx *ctx, MeshClosure *self)
{
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    int ok;
    for (;;) {
        int64_t n = (int64_t)recv_int(ctx, any, -1, &ok);
        if (n < 0) break;
        mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)(n * 2));
    }
}

/* receives a List<List<String>>, sends back the joined text */
static void joiner(MeshCtx *ctx, MeshClosure *self)
{
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    int ok;
    MeshList *ll = OBJ(recv_int(ctx, any, -1, &ok));
    mesh_gc_collect(ctx);
    MeshString *out = S("");
    for (int64_t i = 0; i < mesh_list_length(ll); i++)
        out = mesh_string_concat(ctx, out, mesh_string_join(ctx, OBJ(mesh_list_get(ctx, ll, i)), S(",")));
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_STRING, P(out));
}

/* a counter service written by hand: state in a local */
static void counter(MeshCtx *ctx, MeshClosure *self)
{
    (void)self;
    int64_t count = 0;
    for (;;) {
        MeshObj *req = mesh_service_next(ctx);
        if (req->aux == 0) count += (int64_t)((MeshFields *)req)->slots[0];
        else if (req->aux == 1) mesh_service_reply(ctx, MESH_TYPE_INT, (MeshSlot)count);
        else {
            mesh_service_reply(ctx, MESH_TYPE_STRING, P(S("bye")));
            return;
        }
    }
}

static void worker(MeshCtx *ctx, MeshClosure *self)
{
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, self->env[1] * self->env[1]);
}

static void crasher(MeshCtx *ctx, MeshClosure *self)
{
    (void)self;
    (void)mesh_list_head(ctx, mesh_list_new(ctx, MESH_TYPE_LIST_INT));
}

static void on_exit_cb(MeshCtx *ctx, MeshClosure *self)
{
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, 777);
}

static void with_terminate(MeshCtx *ctx, MeshClosure *self)
{
    mesh_actor_set_terminate(ctx, closure_n(ctx, (void *)on_exit_cb, 1, &self->env[0]));
}

static void sleeper(MeshCtx *ctx, MeshClosure *self)
{
    mesh_timer_sleep(ctx, 30);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, 5);
}

static MeshSlot job_square(MeshCtx *ctx, MeshClosure *self) { (void)ctx; return self->env[0] * self->env[0]; }
static MeshSlot job_text(MeshCtx *ctx, MeshClosure *self) { (void)self; return P(S("from a job")); }
static MeshSlot job_crash(MeshCtx *ctx, MeshClosure *self) { (void)self; mesh_panic(ctx, "boom", 4); return 0; }
static MeshSlot job_slow(MeshCtx *ctx, MeshClosure *self) { (void)self; mesh_timer_sleep(ctx, 200); return 1; }
static MeshSlot inc(MeshCtx *ctx, MeshClosure *self, MeshSlot x) { (void)ctx; (void)self; return x + 1; }

static int64_t deep(MeshCtx *ctx, int64_t n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    return n == 0 ? pad[0] : deep(ctx, n + 1) + pad[0];
}

static void overflower(MeshCtx *ctx, MeshClosure *self)
{
    (void)self;
    (void)deep(ctx, 1);
}

/* supervised child: announce its pid to the tester, crash on the first message */
static void sup_child(MeshCtx *ctx, MeshClosure *self)
{
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, (MeshSlot)mesh_actor_self(ctx));
    MeshClosure *a = closure_n(ctx, (void *)accept_any, 0, NULL);
    mesh_actor_receive(ctx, a, -1);
    mesh_panic(ctx, "child crash", 11);
}

static MeshSlot sup_start(MeshCtx *ctx, MeshClosure *self)
{
    return (MeshSlot)mesh_actor_spawn(ctx, closure_n(ctx, (void *)sup_child, 1, &self->env[0]));
}

/* links: this process links to a crasher and waits; the crash kills it (terminate still runs) */
static void linker(MeshCtx *ctx, MeshClosure *self)
{
    mesh_actor_set_terminate(ctx, closure_n(ctx, (void *)on_exit_cb, 1, &self->env[0]));
    mesh_actor_spawn_link(ctx, closure_n(ctx, (void *)crasher, 0, NULL));
    MeshClosure *a = closure_n(ctx, (void *)accept_any, 0, NULL);
    mesh_actor_receive(ctx, a, -1);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, 1);   /* never reached */
}

static int starts(const MeshString *s, const char *prefix)
{
    return s->len >= strlen(prefix) && memcmp(s->bytes, prefix, strlen(prefix)) == 0;
}

/* the next notification (Down / Exit value) within ms, or 0 */
static MeshObj *recv_signal(MeshCtx *ctx, int64_t ms)
{
    MeshClosure *none = closure_n(ctx, (void *)accept_none, 0, NULL);
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    return mesh_actor_receive_signals(ctx, none, any, ms, 67) == 2 ? OBJ(mesh_actor_received(ctx)) : NULL;
}

/* traps exits, tells the tester, then takes one message or notification and ends */
static void waiter(MeshCtx *ctx, MeshClosure *self)
{
    mesh_process_trap_exit(ctx, 1);
    mesh_actor_send(ctx, (int64_t)self->env[0], MESH_TYPE_INT, 1);
    MeshClosure *a = closure_n(ctx, (void *)accept_any, 0, NULL);
    mesh_actor_receive_signals(ctx, a, a, -1, 67);
}

static void caller(MeshCtx *ctx, MeshClosure *self)
{
    mesh_process_set_call_timeout(ctx, (MeshInt)self->env[1]);
    mesh_service_call(ctx, (MeshInt)self->env[0], 65, P(&GET));
}

/* the service that never answers */
static void mute(MeshCtx *ctx, MeshClosure *self)
{
    (void)self;
    mesh_service_next(ctx);
    mesh_timer_sleep(ctx, 100);
}

static void test_signals(MeshCtx *ctx)
{
    MeshObj *v;
    /* a monitor sees a crash with its message */
    int64_t c = mesh_actor_spawn(ctx, closure_n(ctx, (void *)crasher, 0, NULL));
    int64_t ref = mesh_process_monitor(ctx, c);
    v = recv_signal(ctx, 5000);
    CHECK(v && v->aux == 0);
    CHECK_EQ_INT(((MeshFields *)v)->slots[0], ref);
    CHECK_EQ_INT(((MeshFields *)v)->slots[1], c);
    CHECK_STR(mesh_value_display(ctx, 66, ((MeshFields *)v)->slots[2]), "Crashed(List.head: empty list)");
    /* a dead pid: Noproc at once */
    ref = mesh_process_monitor(ctx, c);
    v = recv_signal(ctx, 0);
    CHECK(v && ((MeshFields *)v)->slots[0] == (MeshSlot)ref);
    CHECK_STR(mesh_value_display(ctx, 66, ((MeshFields *)v)->slots[2]), "Noproc");
    /* demonitor drops an undelivered Down; an unknown ref gives 1 */
    ref = mesh_process_monitor(ctx, c);
    CHECK_EQ_INT(mesh_process_demonitor(ctx, ref), 0);
    CHECK_EQ_INT(mesh_process_demonitor(ctx, ref), 1);
    CHECK(!recv_signal(ctx, 0));
    /* trapping exits: a linked crash arrives as Exit(pid, reason) */
    CHECK_EQ_INT(mesh_process_trap_exit(ctx, 1), 0);
    c = mesh_actor_spawn_link(ctx, closure_n(ctx, (void *)crasher, 0, NULL));
    v = recv_signal(ctx, 5000);
    CHECK(v && v->aux == 1 && ((MeshFields *)v)->slots[0] == (MeshSlot)c);
    CHECK(starts(mesh_value_display(ctx, 67, P(v)), "Exit("));
    /* linking to a process that has ended: Exit(pid, Noproc) when trapping */
    mesh_actor_link(ctx, c);
    v = recv_signal(ctx, 0);
    CHECK(v && v->aux == 1);
    CHECK_STR(mesh_value_display(ctx, 66, ((MeshFields *)v)->slots[1]), "Noproc");
    CHECK_EQ_INT(mesh_process_trap_exit(ctx, 0), 1);
    mesh_actor_link(ctx, c);                   /* not trapping: nothing happens */
    CHECK(!recv_signal(ctx, 0));
    /* kill cannot be trapped; exit(Shutdown) to a trapping process is a notification */
    MeshSlot me = (MeshSlot)mesh_actor_self(ctx);
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    int ok;
    int64_t w = mesh_actor_spawn(ctx, closure_n(ctx, (void *)waiter, 1, &me));
    CHECK_EQ_INT(recv_int(ctx, any, 5000, &ok), 1);
    ref = mesh_process_monitor(ctx, w);
    MeshObj shutdown = {66, MESH_KIND_VARIANT, MESH_GC_STATIC, 1};
    mesh_process_exit(ctx, w, &shutdown);      /* trapped: the waiter takes it and ends normally */
    v = recv_signal(ctx, 5000);
    CHECK_STR(mesh_value_display(ctx, 66, ((MeshFields *)v)->slots[2]), "Normal");
    w = mesh_actor_spawn(ctx, closure_n(ctx, (void *)waiter, 1, &me));
    CHECK_EQ_INT(recv_int(ctx, any, 5000, &ok), 1);
    ref = mesh_process_monitor(ctx, w);
    mesh_process_kill(ctx, w);
    v = recv_signal(ctx, 5000);
    CHECK_STR(mesh_value_display(ctx, 66, ((MeshFields *)v)->slots[2]), "Killed");
    /* a call to a dead server and a call timeout panic the caller only */
    MeshSlot args[2] = {(MeshSlot)c, 0};
    int64_t k = mesh_actor_spawn(ctx, closure_n(ctx, (void *)caller, 2, args));
    mesh_process_monitor(ctx, k);
    v = recv_signal(ctx, 5000);
    CHECK(v && starts(mesh_value_display(ctx, 66, ((MeshFields *)v)->slots[2]), "Crashed(service call to "));
    args[0] = (MeshSlot)mesh_actor_spawn(ctx, closure_n(ctx, (void *)mute, 0, NULL));
    args[1] = 20;
    k = mesh_actor_spawn(ctx, closure_n(ctx, (void *)caller, 2, args));
    mesh_process_monitor(ctx, k);
    v = recv_signal(ctx, 5000);
    CHECK(v && starts(mesh_value_display(ctx, 66, ((MeshFields *)v)->slots[2]), "Crashed(service call to "));
}

/* A node of a random link graph: traps exits when told to; then serves the
 * tester: a pid > 0 means "link to it" (acknowledged with 0), -1 "crash",
 * -2 "end normally"; Exit notifications are taken and ignored. */
static void graph_node(MeshCtx *ctx, MeshClosure *self)
{
    int64_t tester = (int64_t)self->env[0];
    if (self->env[1]) mesh_process_trap_exit(ctx, 1);
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    mesh_actor_send(ctx, tester, MESH_TYPE_INT, (MeshSlot)mesh_actor_self(ctx));
    for (;;) {
        if (mesh_actor_receive_signals(ctx, any, any, -1, 67) == 2) continue;
        int64_t m = (int64_t)mesh_actor_received(ctx);
        if (m == -1) mesh_panic(ctx, "graph crash", 11);
        if (m == -2) return;
        mesh_actor_link(ctx, m);
        mesh_actor_send(ctx, tester, MESH_TYPE_INT, 0);
    }
}

/* Random link graphs: crashing one node must end exactly the nodes reachable
 * from it through non-trapping nodes (with its reason); the others survive. */
static void test_link_graphs(MeshCtx *ctx)
{
    enum { N = 40, EDGES = 60, ROUNDS = 12 };
    MeshSlot me = (MeshSlot)mesh_actor_self(ctx);
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    uint64_t seed = 12345;
    for (int round = 0; round < ROUNDS; round++) {
        int64_t pid[N];
        int trap[N], adj[N][N], dead[N], queue[N];
        memset(adj, 0, sizeof adj);
        memset(dead, 0, sizeof dead);
        for (int i = 0; i < N; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            trap[i] = i != 0 && (seed >> 60) < 4;   /* about one in four; never the crashing node */
            MeshSlot caps[2] = {me, (MeshSlot)trap[i]};
            pid[i] = mesh_actor_spawn(ctx, closure_n(ctx, (void *)graph_node, 2, caps));
        }
        int ok;
        for (int i = 0; i < N; i++) recv_int(ctx, any, 5000, &ok);   /* all ready */
        for (int e = 0; e < EDGES; e++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            int a = (int)((seed >> 33) % N), b = (int)((seed >> 13) % N);
            if (a == b) continue;
            adj[a][b] = adj[b][a] = 1;
            mesh_actor_send(ctx, pid[a], MESH_TYPE_INT, (MeshSlot)pid[b]);
            CHECK_EQ_INT(recv_int(ctx, any, 5000, &ok), 0);
        }
        /* the model: a crash spreads through links into every non-trapping node */
        int head = 0, tail = 0, ndead = 1;
        dead[0] = 1;
        queue[tail++] = 0;
        while (head < tail) {
            int u = queue[head++];
            for (int v = 0; v < N; v++)
                if (adj[u][v] && !dead[v] && !trap[v]) {
                    dead[v] = 1;
                    queue[tail++] = v;
                    ndead++;
                }
        }
        for (int i = 0; i < N; i++) mesh_process_monitor(ctx, pid[i]);
        mesh_actor_send(ctx, pid[0], MESH_TYPE_INT, (MeshSlot)-1);
        int crashed_ok = 0;
        for (int k = 0; k < ndead; k++) {
            MeshObj *v = recv_signal(ctx, 5000);
            CHECK(v != NULL);
            if (!v) break;
            int64_t who = (int64_t)((MeshFields *)v)->slots[1];
            int idx = -1;
            for (int i = 0; i < N; i++)
                if (pid[i] == who) idx = i;
            CHECK(idx >= 0 && dead[idx]);
            crashed_ok += str_is(mesh_value_display(ctx, 66, ((MeshFields *)v)->slots[2]), "Crashed(graph crash)");
        }
        CHECK_EQ_INT(crashed_ok, ndead);
        /* the survivors are alive: told to stop, each ends normally */
        for (int i = 0; i < N; i++)
            if (!dead[i]) mesh_actor_send(ctx, pid[i], MESH_TYPE_INT, (MeshSlot)-2);
        for (int i = 0; i < N - ndead; i++) {
            MeshObj *v = recv_signal(ctx, 5000);
            CHECK(v && str_is(mesh_value_display(ctx, 66, ((MeshFields *)v)->slots[2]), "Normal"));
        }
    }
}

static void test_main(MeshCtx *ctx)
{
    MeshSlot me = (MeshSlot)mesh_actor_self(ctx);
    MeshClosure *any = closure_n(ctx, (void *)accept_any, 0, NULL);
    int ok;

    /* ping-pong */
    int64_t d = mesh_actor_spawn(ctx, closure_n(ctx, (void *)doubler, 1, &me));
    CHECK(d != mesh_actor_self(ctx));
    int64_t sum = 0;
    for (int64_t i = 1; i <= 100; i++) {
        mesh_actor_send(ctx, d, MESH_TYPE_INT, (MeshSlot)i);
        sum += (int64_t)recv_int(ctx, any, -1, &ok);
    }
    CHECK_EQ_INT(sum, 10100);
    mesh_actor_send(ctx, d, MESH_TYPE_INT, (MeshSlot)-1);

    /* selective receive: take 2 first, the others stay queued in order */
    mesh_actor_send(ctx, mesh_actor_self(ctx), MESH_TYPE_INT, 1);
    mesh_actor_send(ctx, mesh_actor_self(ctx), MESH_TYPE_INT, 2);
    mesh_actor_send(ctx, mesh_actor_self(ctx), MESH_TYPE_INT, 3);
    MeshSlot two = 2;
    CHECK_EQ_INT(recv_int(ctx, closure_n(ctx, (void *)accept_eq, 1, &two), -1, &ok), 2);
    CHECK_EQ_INT(recv_int(ctx, any, -1, &ok), 1);
    CHECK_EQ_INT(recv_int(ctx, any, -1, &ok), 3);
    /* poll and timeouts */
    recv_int(ctx, any, 0, &ok);
    CHECK(!ok);
    int64_t t0 = 0;
    {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        t0 = ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    }
    recv_int(ctx, any, 50, &ok);
    CHECK(!ok);
    {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        CHECK(ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - t0 >= 49);
    }
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)sleeper, 1, &me));
    CHECK_EQ_INT(recv_int(ctx, any, 5000, &ok), 5);

    /* deep copy of nested collections, survives collections on both sides */
    int64_t j = mesh_actor_spawn(ctx, closure_n(ctx, (void *)joiner, 1, &me));
    MeshList *ll = mesh_list_new(ctx, 64);
    for (int i = 0; i < 3; i++) {
        MeshList *l = mesh_string_split(ctx, S("a b c"), S(" "));
        ll = mesh_list_append(ctx, ll, P(l));
    }
    mesh_actor_send(ctx, j, 64, P(ll));
    mesh_gc_collect(ctx);
    MeshString *joined = OBJ(recv_int(ctx, any, -1, &ok));
    CHECK_STR(joined, "a,b,ca,b,ca,b,c");

    /* a service */
    int64_t svc = mesh_actor_spawn(ctx, closure_n(ctx, (void *)counter, 0, NULL));
    for (int64_t i = 1; i <= 10; i++) {
        MeshFields *add = (MeshFields *)mesh_gc_alloc(ctx, 16, 65, MESH_KIND_VARIANT, 0);
        add->slots[0] = (MeshSlot)i;
        mesh_service_cast(ctx, svc, 65, P(add));
    }
    CHECK_EQ_INT(mesh_service_call(ctx, svc, 65, P(&GET)), 55);
    /* a user message queued meanwhile is not taken as the reply */
    mesh_actor_send(ctx, mesh_actor_self(ctx), MESH_TYPE_INT, 99);
    CHECK_EQ_INT(mesh_service_call(ctx, svc, 65, P(&GET)), 55);
    CHECK_STR((MeshString *)OBJ(mesh_service_call(ctx, svc, 65, P(&STOP))), "bye");
    CHECK_EQ_INT(recv_int(ctx, any, -1, &ok), 99);

    /* many processes */
    int64_t total = 0;
    for (int64_t i = 0; i < 2000; i++) {
        MeshSlot caps[2] = {me, (MeshSlot)i};
        mesh_actor_spawn(ctx, closure_n(ctx, (void *)worker, 2, caps));
    }
    for (int i = 0; i < 2000; i++) total += (int64_t)recv_int(ctx, any, -1, &ok);
    CHECK_EQ_INT(total, 2664667000);

    /* a panicking process ends alone; terminate callbacks run */
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)crasher, 0, NULL));
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)with_terminate, 1, &me));
    CHECK_EQ_INT(recv_int(ctx, any, 5000, &ok), 777);
    /* jobs */
    MeshSlot seven = 7;
    MeshObj *r = mesh_job_await(ctx, mesh_job_async(ctx, closure_n(ctx, (void *)job_square, 1, &seven), MESH_TYPE_INT),
                                MESH_TYPE_RESULT_STRING_STRING);
    CHECK(mesh_result_is_ok(r));
    CHECK_EQ_INT(mesh_result_unwrap(ctx, r), 49);
    r = mesh_job_await(ctx, mesh_job_async(ctx, closure_n(ctx, (void *)job_text, 0, NULL), MESH_TYPE_STRING),
                       MESH_TYPE_RESULT_STRING_STRING);
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_RESULT_STRING_STRING, P(r)), "Ok(from a job)");
    r = mesh_job_await(ctx, mesh_job_async(ctx, closure_n(ctx, (void *)job_crash, 0, NULL), MESH_TYPE_INT),
                       MESH_TYPE_RESULT_STRING_STRING);
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_RESULT_STRING_STRING, P(r)), "Err(boom)");
    r = mesh_job_await_timeout(ctx, mesh_job_async(ctx, closure_n(ctx, (void *)job_slow, 0, NULL), MESH_TYPE_INT), 20,
                               MESH_TYPE_RESULT_STRING_STRING);
    CHECK_STR(mesh_value_display(ctx, MESH_TYPE_RESULT_STRING_STRING, P(r)), "Err(timeout)");
    MeshList *nums = mesh_range_to_list(ctx, mesh_range_new(ctx, 0, 5));
    MeshList *res = mesh_job_map(ctx, nums, closure_n(ctx, (void *)inc, 0, NULL), MESH_TYPE_LIST_ANY);
    CHECK_EQ_INT(mesh_list_length(res), 5);
    CHECK_EQ_INT(mesh_result_unwrap(ctx, OBJ(mesh_list_get(ctx, res, 4))), 5);
    /* send_after */
    mesh_timer_send_after(ctx, mesh_actor_self(ctx), 20, P(S("later")));
    mesh_actor_send(ctx, mesh_actor_self(ctx), MESH_TYPE_STRING, P(S("now")));
    CHECK_STR((MeshString *)OBJ(recv_int(ctx, any, 2000, &ok)), "now");
    CHECK_STR((MeshString *)OBJ(recv_int(ctx, any, 2000, &ok)), "later");
    /* a stack overflow ends only the overflowing process */
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)overflower, 0, NULL));
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)worker, 2, (MeshSlot[]){me, 3}));
    CHECK_EQ_INT(recv_int(ctx, any, 5000, &ok), 9);
    /* a linked crash kills the linker */
    mesh_actor_spawn(ctx, closure_n(ctx, (void *)linker, 1, &me));
    CHECK_EQ_INT(recv_int(ctx, any, 5000, &ok), 777);
    recv_int(ctx, any, 50, &ok);
    CHECK(!ok);

    /* supervisors: a crashing child is restarted until the intensity is exceeded */
    MeshObj *spec = mesh_supervisor_new(ctx, 0, 2, 5);
    mesh_supervisor_add_child(ctx, spec, S("c1"), closure_n(ctx, (void *)sup_start, 1, &me), 0, 5000, 0);
    int64_t sup = mesh_supervisor_start(ctx, spec);
    int64_t c1 = (int64_t)recv_int(ctx, any, 5000, &ok);
    CHECK(ok && c1 > 0);
    CHECK_EQ_INT(mesh_supervisor_count_children(ctx, sup), 1);
    mesh_actor_send(ctx, c1, MESH_TYPE_INT, 0);            /* crash 1 -> restart */
    int64_t c2 = (int64_t)recv_int(ctx, any, 5000, &ok);
    CHECK(ok && c2 > 0 && c2 != c1);
    mesh_actor_send(ctx, c2, MESH_TYPE_INT, 0);            /* crash 2 -> restart */
    int64_t c3 = (int64_t)recv_int(ctx, any, 5000, &ok);
    CHECK(ok && c3 != c2);
    mesh_actor_send(ctx, c3, MESH_TYPE_INT, 0);            /* crash 3: too many, the supervisor gives up */
    recv_int(ctx, any, 200, &ok);
    CHECK(!ok);
    CHECK_EQ_INT(mesh_supervisor_count_children(ctx, sup), 0);
    test_signals(ctx);
    test_link_graphs(ctx);
    mesh_io_println(ctx, S("main done"));
}
