// SPDX-License-Identifier: GPL-2.0
/*
 * The AFL++ custom mutator (AFL_CUSTOM_MUTATOR_LIBRARY=lwfuzz-mutator.so):
 * AFL++ hands us a test case, we decode it as a workload (an input that is
 * not one becomes a small fresh workload), mutate it structurally
 * (mutate.h) and encode the mutant. API: AFL++ docs/custom_mutators.md.
 * The campaign names the variant's delay sites in LWFUZZ_SITES (a site
 * table, lib/delay_site.h); without it no delay is made up. When AFL++
 * keeps an input, the thread sites its execution found (thread_sites.h,
 * in LWFUZZ_VM_DIR) are remembered for it, and the seeds' from the
 * campaign's own seed runs (LWFUZZ_SEED_SITES): delays put into a thread
 * of its mutants mostly go where that thread ran (mutate.h).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/delay_site.h"
#include "lib/hash.h"
#include "lib/fsutil.h"
#include "fuzzer/mutate.h"
#include "fuzzer/thread_sites.h"
#include "lib/workload.h"

#define MUTANTS_PER_ENTRY 8
/* A visit with deterministic mutants left: this many of them, and a few
 * random ones. */
#define DET_PER_VISIT 16
#define RANDOM_BESIDE_DET 4
#define SEEN_SLOTS 65536 /* queue entries and how far their stage got */
/*
 * New queue entries whose threads raced, waiting for their delay stage,
 * and how many of its mutants each visit serves while any wait.
 */
#define FOLLOW_UPS 64
#define FOLLOW_UPS_PER_VISIT 16
/* Mutants of one stage before the next waiting stage's turn. */
#define STAGE_PASS 16
#define STAGE_SLOTS 4096 /* the site lists of delay stages already queued */
/* Delay sites some delay-stage mutant stopped at (btrfs has ~4 000). */
#define PROBED_SLOTS 16384
#define STAGE_MAX 256 /* mutants of one delay stage (mutate.c: 4 x 64) */
/* Queue entries with thread sites (a full table forgets; 4 KiB each). */
#define HOT_SLOTS 1024

struct hot_entry {
	uint64_t key; /* thread_sites_key(); 0 is empty */
	struct thread_sites ts;
	struct wl_thread_sites view[WL_MAX_THREADS]; /* into ts */
};

_Static_assert(EXEC_THREADS == WL_MAX_THREADS, "thread sites per thread");

struct det_progress {
	uint64_t entry; /* entry_hash(); 0 is empty */
	unsigned int next; /* its first deterministic mutant not yet made */
};

/* Where a mutant came from: AFL++ names the entries it keeps by it. */
enum mutant_stage { STAGE_RANDOM, STAGE_DET, STAGE_DELAY };

static const char *const stage_names[] = {
	[STAGE_RANDOM] = "lwfuzz-random",
	[STAGE_DET] = "lwfuzz-det",
	[STAGE_DELAY] = "lwfuzz-delay-stage",
};

/*
 * A new entry's delay stage, run at once instead of when its turn comes.
 * @rank: how it races a promise (wl_races_a_promise()); @own: the entry
 * is in AFL++'s queue (its visits run what the stage leaves).
 */
struct follow_up {
	struct workload w;
	struct thread_sites ts;
	struct wl_thread_sites view[WL_MAX_THREADS];
	uint64_t entry; /* entry_hash() */
	uint64_t seq; /* 0: a free slot */
	int rank, own;
	unsigned int next, total, in_pass;
	unsigned int novel; /* its sites not probed yet, as last counted */
	uint32_t site[STAGE_MAX]; /* where each of its mutants stops */
};

struct mutator {
	uint64_t rng;
	unsigned char out[WL_BIN_MAX];
	char desc[64];
	struct det_progress seen[SEEN_SLOTS]; /* open addressing */
	uint64_t det_entry; /* the entry of this visit */
	unsigned int det_next, det_end; /* its deterministic mutants */
	struct site_table sites;
	struct hot_entry hot[HOT_SLOTS];
	struct follow_up follow[FOLLOW_UPS];
	uint64_t follow_seq; /* of the last one queued */
	unsigned int follow_len, follow_left;
	uint64_t stages[STAGE_SLOTS]; /* open addressing; 0 is empty */
	uint64_t probed[PROBED_SLOTS]; /* site ids | 1 << 32; 0 is empty */
	struct follow_up *serving; /* the stage whose pass is being served */
	const char *trace_path; /* LWFUZZ_MUTATOR_TRACE */
	FILE *trace; /* opened at the first line (AFL++'s directory exists) */
	enum mutant_stage last; /* of the last mutant handed out */
	/* A mutant that newly races a promise (wl_det_new_race()), run last. */
	struct workload pending;
	uint64_t pending_entry; /* its entry_hash(); 0: none */
};

static uint64_t entry_hash(const unsigned char *buf, size_t len)
{
	uint64_t h = hash_bytes(HASH_INIT, buf, len);

	return h ? h : 1; /* 0 marks an empty slot */
}

/*
 * In an open-addressed table of @n slots of @size bytes, each starting
 * with its uint64_t key (0: empty): the slot holding @key, else the empty
 * slot it would take, else NULL (the table is full).
 */
static uint64_t *slot_find(void *table, size_t size, unsigned int n,
			   uint64_t key)
{
	unsigned char *t = table;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t *slot = (uint64_t *)(t + (key + i) % n * size);

		if (*slot == key || !*slot)
			return slot;
	}
	return NULL;
}

/*
 * The slot of @key in such a table; a new key takes an empty slot and
 * sets *@isnew; a full table forgets all it held.
 */
static void *slot_of(void *table, size_t size, unsigned int n, uint64_t key,
		     int *isnew)
{
	uint64_t *slot = slot_find(table, size, n, key);

	if (!slot) {
		memset(table, 0, size * n);
		slot = (uint64_t *)((unsigned char *)table + key % n * size);
	}
	*isnew = *slot != key;
	*slot = key;
	return slot;
}

/* How far entry @h's deterministic stage got. */
static struct det_progress *progress_of(struct mutator *m, uint64_t h)
{
	int isnew;

	return slot_of(m->seen, sizeof(*m->seen), SEEN_SLOTS, h, &isnew);
}

/* The thread sites remembered for @w (NULL when none). */
static const struct hot_entry *hot_of(struct mutator *m,
				      const struct workload *w)
{
	uint64_t key = thread_sites_key(w);
	const struct hot_entry *e = &m->hot[key % HOT_SLOTS];

	return e->key == key ? e : NULL;
}

static void sites_view(struct wl_thread_sites *view,
		       const struct thread_sites *ts)
{
	for (unsigned int t = 0; t < EXEC_THREADS; t++) {
		view[t].ids = ts->ids[t];
		view[t].n = ts->n[t] < EXEC_THREAD_SITES ? ts->n[t] :
							   EXEC_THREAD_SITES;
		view[t].nshared = ts->nshared[t] < view[t].n ? ts->nshared[t] :
							       view[t].n;
	}
}

/* Keep @ts for the entry whose key it carries (a full slot is replaced). */
static void remember(struct mutator *m, const struct thread_sites *ts)
{
	struct hot_entry *e = &m->hot[ts->hash % HOT_SLOTS];

	e->key = ts->hash;
	e->ts = *ts;
	sites_view(e->view, &e->ts);
}

/*
 * 1 when a delay stage over the same thread sites was queued before (the
 * same racing code: forks of one durability point that differ in a nap
 * stop their threads at the same functions); else remember it.
 */
static int stage_queued_before(struct mutator *m, const struct thread_sites *ts,
			       unsigned int nthreads)
{
	uint64_t h = HASH_INIT;
	int isnew;

	for (unsigned int t = 0; t < nthreads && t < EXEC_THREADS; t++) {
		h = hash_bytes(h, &ts->n[t], sizeof(ts->n[t]));
		h = hash_bytes(h, &ts->nshared[t], sizeof(ts->nshared[t]));
		h = hash_bytes(h, ts->ids[t],
			       (ts->n[t] < EXEC_THREAD_SITES ? ts->n[t] :
							       EXEC_THREAD_SITES) *
				       sizeof(**ts->ids));
	}
	h = h ? h : 1;
	slot_of(m->stages, sizeof(*m->stages), STAGE_SLOTS, h, &isnew);
	return !isnew;
}

/* The slot of delay site @id in the probed set (*@isnew: not probed). */
static uint64_t *probed_slot(struct mutator *m, uint32_t id, int *isnew)
{
	return slot_of(m->probed, sizeof(*m->probed), PROBED_SLOTS,
		       id | 1ULL << 32, isnew);
}

static int probed(struct mutator *m, uint32_t id)
{
	uint64_t key = id | 1ULL << 32;
	uint64_t *slot = slot_find(m->probed, sizeof(*m->probed), PROBED_SLOTS,
				   key);

	return slot && *slot == key;
}

/* Stage @f's mutants left that stop at a site no mutant stopped at yet. */
static unsigned int novelty(struct mutator *m, const struct follow_up *f)
{
	unsigned int n = 0;

	for (unsigned int k = f->next; k < f->total && k < STAGE_MAX; k++)
		n += !probed(m, f->site[k]);
	return n;
}

static FILE *trace_open(struct mutator *m)
{
	if (!m->trace && m->trace_path) {
		m->trace = fopen(m->trace_path, "ae");
		if (m->trace)
			setvbuf(m->trace, NULL, _IOLBF, 0);
		else
			m->trace_path = NULL; /* said nothing; tries no more */
	}
	return m->trace;
}

/*
 * LWFUZZ_MUTATOR_TRACE=FILE: what happened to each delay stage, a line
 * each (a queued one with its workload), to read why a campaign did or did
 * not try a race.
 */
static void trace_stage(struct mutator *m, const char *what,
			const struct workload *w, uint64_t entry, int rank,
			unsigned int mutants)
{
	char *text, *save = NULL;

	if (!trace_open(m))
		return;
	fprintf(m->trace, "%s: %016llx, rank %d, %u mutants, %u waiting\n",
		what, (unsigned long long)entry, rank, mutants, m->follow_len);
	if (strncmp(what, "queued", 6) || !(text = wl_format_text(w)))
		return;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		fprintf(m->trace, "    %s\n", line);
	free(text);
}

/* Does @a come before @b: to be served, or (@evict) to be displaced? */
static int follow_up_before(const struct follow_up *a,
			    const struct follow_up *b, int evict)
{
	if (a->rank != b->rank)
		return evict ? a->rank < b->rank : a->rank > b->rank;
	if (a->novel != b->novel)
		return evict ? a->novel < b->novel : a->novel > b->novel;
	return evict ? a->seq > b->seq : a->seq < b->seq;
}

/*
 * The waiting stage served next: of the highest rank, the one with the
 * most mutants left that stop at a site no delay stopped at yet (greedy
 * over btrfs's functions: where two stages would stop their threads at
 * much the same functions, the one that probes new ones goes first),
 * then the one whose turn came first (queued or last served longest
 * ago). @evict: the one a new stage of rank @evict displaces from a full
 * queue instead (of the lowest rank below @evict, the one that would be
 * served last; NULL when none ranks below it).
 */
static struct follow_up *follow_up_pick(struct mutator *m, int evict)
{
	struct follow_up *best = NULL;

	for (unsigned int i = 0; i < FOLLOW_UPS; i++) {
		struct follow_up *f = &m->follow[i];

		if (!f->seq || (evict && f->rank >= evict))
			continue;
		f->novel = novelty(m, f);
		if (!best || follow_up_before(f, best, evict))
			best = f;
	}
	return best;
}

/* Stage @f leaves the queue; what it did not serve, its entry's visits do. */
static void follow_up_drop(struct mutator *m, struct follow_up *f)
{
	if (f->own && f->next < f->total)
		progress_of(m, f->entry)->next = f->next;
	f->seq = 0;
	m->follow_len--;
}

/*
 * Entry @w whose threads raced (its sites @ts give it a delay stage), new
 * or a seed on its first visit (@own), or a mutant that newly races a
 * promise, kept or not (wl_det_new_race()): its delay stage waits in a
 * queue, not for AFL++'s queue to come round to it (a queue that grows
 * faster than a campaign at TCG speed visits it, as measured, never),
 * nor slice by slice; its own visits skip it. Stages of entries that
 * race a promise go first, a file's fsync before sync (a 33-seed campaign
 * kept 364 racing entries in 25 minutes, 110 of them racing a promise, at
 * about 120 mutants a stage); among equals the one that would stop its
 * threads at the most sites no delay stopped at yet (follow_up_pick()),
 * then they take turns, STAGE_PASS mutants each (the stage goes coarse
 * to fine, mutate.c): breadth first over the racing entries, where one
 * stage served whole held a campaign for minutes. Not queued when its racing threads ran what an entry
 * queued before ran (stage_queued_before()). A full queue leaves the
 * stage to the entry's own visits, or the stage displaces one of a lower
 * rank (the one whose turn comes last).
 */
static void follow_up_push(struct mutator *m, const struct workload *w,
			   const struct thread_sites *ts, uint64_t entry,
			   int own)
{
	struct follow_up *f = NULL, *victim = NULL;
	struct wl_thread_sites view[WL_MAX_THREADS];
	int rank = wl_races_a_promise(w);
	unsigned int n;

	sites_view(view, ts);
	wl_mutate_thread_sites(view);
	n = wl_delay_stage_count(w);
	wl_mutate_thread_sites(NULL);
	if (!n)
		return;
	if (m->follow_len == FOLLOW_UPS) {
		victim = rank ? follow_up_pick(m, rank) : NULL;
		if (!victim) {
			trace_stage(m,
				    own ? "left to its entry (queue full)" :
					  "dropped (queue full)",
				    w, entry, rank, n);
			return;
		}
	}
	if (own)
		progress_of(m, entry)->next = n;
	if (stage_queued_before(m, ts, w->nthreads)) {
		trace_stage(m, "not queued (sites of a stage queued before)",
			    w, entry, rank, n);
		return;
	}
	if (victim) {
		trace_stage(m, "displaced", &victim->w, victim->entry,
			    victim->rank, victim->total - victim->next);
		follow_up_drop(m, victim);
	}
	for (unsigned int i = 0; i < FOLLOW_UPS && !f; i++)
		if (!m->follow[i].seq)
			f = &m->follow[i];
	m->follow_len++;
	f->w = *w;
	f->ts = *ts;
	sites_view(f->view, &f->ts);
	f->entry = entry;
	f->seq = ++m->follow_seq;
	f->rank = rank;
	f->own = own;
	f->next = 0;
	f->in_pass = 0;
	f->total = n;
	wl_mutate_thread_sites(f->view);
	for (unsigned int k = 0; k < n && k < STAGE_MAX; k++)
		f->site[k] = wl_delay_stage_site(w, k);
	wl_mutate_thread_sites(NULL);
	trace_stage(m, own ? "queued (entry)" : "queued (not kept)", w, entry,
		    rank, n);
}

/* The next mutant of the stage follow_up_pick() names, or 0 when none. */
static int follow_up_next(struct mutator *m, struct workload *out)
{
	struct follow_up *f;

	/* A stage in the middle of its pass keeps its turn. */
	while ((f = m->serving && m->serving->seq && m->serving->in_pass ?
			    m->serving :
			    follow_up_pick(m, 0))) {
		int ret, isnew;

		if (!f->in_pass && trace_open(m))
			fprintf(m->trace,
				"pass of %016llx: mutants %u.. of %u, %u stop at new sites\n",
				(unsigned long long)f->entry, f->next, f->total,
				f->novel);
		*out = f->w;
		wl_mutate_thread_sites(f->view);
		if (f->next < STAGE_MAX)
			probed_slot(m, f->site[f->next], &isnew);
		ret = wl_delay_stage_mutant(out, f->next++);
		m->serving = f;
		if (f->next >= f->total) {
			trace_stage(m, "done", &f->w, f->entry, f->rank,
				    f->total);
			follow_up_drop(m, f);
		} else if (++f->in_pass == STAGE_PASS) {
			/* Its next pass after every other stage's. */
			f->in_pass = 0;
			f->seq = ++m->follow_seq;
		}
		if (ret == 1)
			return 1;
	}
	return 0;
}

/*
 * The thread sites the last execution left in the VM directory, when
 * they are @w's (else NULL; free() it).
 */
static struct thread_sites *last_sites(const struct workload *w)
{
	const char *dir = getenv("LWFUZZ_VM_DIR");
	char *path = dir ? path_join(dir, THREAD_SITES_FILE) : NULL;
	struct thread_sites *ts = NULL;
	size_t len = 0;

	if (path)
		ts = (struct thread_sites *)read_file(path, &len);
	free(path);
	if (ts && (len != sizeof(*ts) || ts->hash != thread_sites_key(w))) {
		free(ts);
		ts = NULL;
	}
	return ts;
}

/*
 * The mutant handed out last newly raced a promise and AFL++ did not
 * keep it (afl_custom_queue_new_entry() would have taken it): its
 * execution's sites give it a delay stage of its own.
 */
static void pending_stage(struct mutator *m)
{
	struct thread_sites *ts;

	if (!m->pending_entry)
		return;
	ts = last_sites(&m->pending);
	if (ts)
		follow_up_push(m, &m->pending, ts, m->pending_entry, 0);
	m->pending_entry = 0;
	free(ts);
}

/*
 * The seeds' thread sites (LWFUZZ_SEED_SITES, fuzzer/thread_sites.h):
 * AFL++ never tells the mutator about its initial entries.
 */
static void load_seed_sites(struct mutator *m)
{
	const char *dir = getenv("LWFUZZ_SEED_SITES");
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char *path;
		struct thread_sites *ts;
		size_t len = 0;

		if (de->d_name[0] == '.')
			continue;
		path = path_join(dir, de->d_name);
		ts = (struct thread_sites *)read_file(path, &len);
		if (ts && len == sizeof(*ts) && ts->hash)
			remember(m, ts);
		free(ts);
		free(path);
	}
	if (d)
		closedir(d);
}

void *afl_custom_init(void *afl, unsigned int seed)
{
	struct mutator *m = calloc(1, sizeof(*m));

	const char *sites = getenv("LWFUZZ_SITES");
	char why[256];

	(void)afl;
	if (!m)
		return NULL;
	m->rng = 0x5eed0000ULL ^ seed;
	if (sites && !site_table_load(sites, &m->sites, why, sizeof(why)))
		wl_mutate_sites(m->sites.ids, m->sites.n);
	load_seed_sites(m);
	m->trace_path = getenv("LWFUZZ_MUTATOR_TRACE");
	return m;
}

size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size,
		       unsigned char **out_buf, unsigned char *add_buf,
		       size_t add_buf_size, size_t max_size)
{
	struct mutator *m = data;
	struct workload w, other;
	int have_other;
	size_t n = 0;
	struct workload orig;
	const struct hot_entry *hot;

	pending_stage(m);
	if (wl_decode(buf, buf_size, &orig))
		memset(&orig, 0, sizeof(orig));
	hot = hot_of(m, &orig);
	wl_mutate_thread_sites(hot ? hot->view : NULL);
	/* This visit's deterministic mutants come first, in order. */
	while (m->det_entry == entry_hash(buf, buf_size) &&
	       m->det_next < m->det_end) {
		unsigned int k = m->det_next++;

		w = orig;
		if (wl_det_mutant(&w, k) == 1 &&
		    (n = wl_encode(&w, m->out,
				   max_size < sizeof(m->out)
					   ? max_size
					   : sizeof(m->out)))) {
			m->last = STAGE_DET;
			if (k < wl_delay_stage_count(&orig)) {
				int isnew;

				probed_slot(m, wl_delay_stage_site(&orig, k),
					    &isnew);
			}
			if (wl_det_new_race(&orig, k, &w)) {
				m->pending = w;
				m->pending_entry = entry_hash(m->out, n);
			}
			*out_buf = m->out;
			return n;
		}
	}
	while (m->follow_left) {
		m->follow_left--;
		if (!follow_up_next(m, &w))
			break;
		n = wl_encode(&w, m->out,
			      max_size < sizeof(m->out) ? max_size
							: sizeof(m->out));
		if (n) {
			m->last = STAGE_DELAY;
			*out_buf = m->out;
			return n;
		}
	}
	m->follow_left = 0;
	m->last = STAGE_RANDOM;
	wl_mutate_thread_sites(hot ? hot->view : NULL);
	have_other = add_buf && !wl_decode(add_buf, add_buf_size, &other);
	/* An execution costs seconds: never hand back an unchanged program. */
	for (int tries = 0; tries < 8; tries++) {
		w = orig;
		if (wl_mutate(&w, &m->rng, have_other ? &other : NULL))
			continue;
		n = wl_encode(&w, m->out,
			      max_size < sizeof(m->out) ? max_size
							: sizeof(m->out));
		if (n && !wl_equal(&w, &orig))
			break;
	}
	/* Too big for AFL++'s limit: hand back the input unchanged. */
	if (!n) {
		*out_buf = buf;
		return buf_size;
	}
	*out_buf = m->out;
	return n;
}

/*
 * How many mutants of one queue entry in a row. AFL++ sizes its havoc stage
 * for targets that run thousands of times a second; at seconds per
 * execution that would spend an hour on the first seed. A few mutants per
 * entry per cycle spread the campaign over the whole corpus. An entry's
 * deterministic stage (mutate.h) comes in slices of DET_PER_VISIT, a few
 * random mutants beside each, until it is done: whole, the seeds' stages
 * alone took longer than a 30-minute campaign, and the entries they found
 * never came up.
 */
unsigned int afl_custom_fuzz_count(void *data, const unsigned char *buf,
				   size_t buf_size)
{
	struct mutator *m = data;
	uint64_t h = entry_hash(buf, buf_size);
	const struct hot_entry *hot;
	struct det_progress *p;
	struct workload w;
	unsigned int total;

	if (!m || wl_decode(buf, buf_size, &w))
		return MUTANTS_PER_ENTRY;
	pending_stage(m);
	hot = hot_of(m, &w);
	p = progress_of(m, h);
	/* A seed (AFL++ announces no seed) that raced: its delay stage too. */
	if (hot && !p->next)
		follow_up_push(m, &w, &hot->ts, h, 1);
	wl_mutate_thread_sites(hot ? hot->view : NULL);
	total = wl_det_count(&w);
	m->det_entry = h;
	m->det_next = p->next;
	m->det_end = p->next < total ? p->next + DET_PER_VISIT : p->next;
	if (m->det_end > total)
		m->det_end = total;
	p->next = m->det_end;
	m->follow_left = m->follow_len ? FOLLOW_UPS_PER_VISIT : 0;
	if (m->det_end == m->det_next)
		return MUTANTS_PER_ENTRY + m->follow_left;
	return m->det_end - m->det_next + RANDOM_BESIDE_DET + m->follow_left;
}

const char *afl_custom_describe(void *data, size_t max_len)
{
	struct mutator *m = data;

	snprintf(m->desc, sizeof(m->desc) < max_len ? sizeof(m->desc) : max_len,
		 "%s", stage_names[m->last]);
	return m->desc;
}

/*
 * AFL++ keeps a new input: if the last execution (lwfuzz exec wrote its
 * thread sites) was this input's, remember them.
 */
uint8_t afl_custom_queue_new_entry(void *data, const uint8_t *new_queue,
				   const uint8_t *orig_queue)
{
	struct mutator *m = data;
	struct thread_sites *ts = NULL;
	size_t len = 0;
	char *buf;
	struct workload w;
	uint64_t h;

	(void)orig_queue;
	if (!m)
		return 0;
	buf = read_file((const char *)new_queue, &len);
	if (!buf || wl_decode((unsigned char *)buf, len, &w))
		goto out;
	h = entry_hash((unsigned char *)buf, len);
	if (h == m->pending_entry)
		m->pending_entry = 0; /* kept: its stage comes as an entry's */
	ts = last_sites(&w);
	if (!ts)
		goto out;
	remember(m, ts);
	if (m->last != STAGE_DELAY) {
		follow_up_push(m, &w, ts, h, 1);
	} else {
		/* One preemption per run: no delay stage of its own. */
		struct wl_thread_sites view[WL_MAX_THREADS];

		sites_view(view, ts);
		wl_mutate_thread_sites(view);
		progress_of(m, h)->next = wl_delay_stage_count(&w);
		wl_mutate_thread_sites(NULL);
	}
out:
	free(buf);
	free(ts);
	return 0;
}

void afl_custom_deinit(void *data)
{
	struct mutator *m = data;

	wl_mutate_sites(NULL, 0);
	wl_mutate_thread_sites(NULL);
	if (m)
		site_table_free(&m->sites);
	if (m && m->trace)
		fclose(m->trace);
	free(data);
}
