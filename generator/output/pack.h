#ifndef AVOIN_PACK_H
#define AVOIN_PACK_H
/*
 * Packing the files of a site held in memory (memsite.c), with zstd and a
 * dictionary trained from the site itself: the markup every page of a
 * theme shares is in the dictionary, so a page packed with it holds little
 * more than its own words (on the benchmark corpus 903 MB of pages are 106
 * MB packed, against 211 MB gzipped one by one).
 *
 * A dictionary is counted: each file packed with it holds a reference, so
 * it lives as long as any such file, also one being sent after its site was
 * replaced. It keeps a few contexts for packing and unpacking, which any
 * thread may use at once (making one for each file cost 100 KB of fresh
 * pages each time).
 */
#include <stdatomic.h>
#include <stddef.h>

typedef struct pack_dict pack_dict;

/* A dictionary of len bytes (len 0: packing without one), one reference; NULL if zstd fails. */
pack_dict *pack_dict_new(const void *bytes, size_t len);
pack_dict *pack_dict_ref(pack_dict *d);
void pack_dict_release(pack_dict *d);
/* 1 when d packs with a trained dictionary. */
int pack_dict_trained(const pack_dict *d);

/* The room pack() may need for len bytes. */
size_t pack_bound(size_t len);
/*
 * Packs data (len bytes) into out (cap bytes, at least pack_bound(len));
 * the packed length, or 0 when it would not be smaller, zstd failed or
 * *stop was set meanwhile (looked at between steps of 128 KiB; stop may be
 * NULL).
 */
size_t pack(pack_dict *d, const char *data, size_t len, char *out, size_t cap,
	const atomic_int *stop);
/* Unpacks packed (plen bytes) into out, which takes exactly raw_len bytes; 0, or -1. */
int unpack(pack_dict *d, const char *packed, size_t plen, char *out, size_t raw_len);
/* 1 when packed unpacks to data (len bytes); compared a window at a time, as it unpacks. */
int pack_equals(pack_dict *d, const char *packed, size_t plen, const char *data, size_t len);

/*
 * Pieces of files to train a dictionary from, spread evenly over the files
 * offered: the first PACK_PIECE bytes of every k-th file, where k doubles
 * (and every other piece goes) each time PACK_SAMPLES bytes would be
 * exceeded. Full once files of span bytes in all were offered. Any thread
 * may add. (A build writes a record's pages and history together, so the
 * first 4 MB of pieces came from a few records: a dictionary trained from
 * them packed the benchmark site into 185 MB; from pieces spread over the
 * first 48 MB written, 171 MB; over the whole site, 106 MB, which is why
 * the compactor trains once more when the first build is done.)
 */
#define PACK_SAMPLES (4u << 20)
#define PACK_PIECE (8u << 10)
#define PACK_SPAN (48u << 20)
typedef struct pack_samples pack_samples;
pack_samples *pack_samples_new(size_t span);
void pack_samples_free(pack_samples *s);
/* Offers data; 1 when that made the samples full (the caller trains, once), else 0. */
int pack_samples_add(pack_samples *s, const char *data, size_t len);
/*
 * A dictionary trained from the samples (0.15-0.3 s for 4 MB); NULL when
 * zstd cannot. Called once pack_samples_add() said they are full (no piece
 * is added then), or with no other thread adding.
 */
pack_dict *pack_train(pack_samples *s);
/* Lets go of the samples' bytes; nothing is added after. */
void pack_samples_drop(pack_samples *s);

#endif
