// SPDX-License-Identifier: GPL-2.0
/*
 * bpfobj.c - what a BPF object file says about one of its XDP programs,
 * without loading it: the requirements it declares (XDPMETA_REQUIRE in
 * bpf/xdpmeta.h) and the xdpmeta kfuncs it calls.
 *
 * Requirements: libbpf opens the object; the struct is searched in the
 * initial value of its read-only array maps (.rodata) by its magic at
 * 8-byte offsets, with the module's own function (kmod/req.c).
 *
 * Kfunc calls: libbpf does not expose relocations before load, so the
 * ELF file is read with libelf. A call to an extern kfunc is a relocation
 * against an undefined symbol of that name. The program's function is
 * scanned, and so is every subprogram it reaches through BPF-to-BPF
 * calls (as libbpf links them at load), so that a kfunc called by a
 * subprogram counts for the programs that call it, and only for them.
 * A call of bpf_xdpmeta_chain_run makes the program a dispatcher, as the
 * module decides from the verified instructions (kmod/chain.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "cli.h"

#ifndef EM_BPF
#define EM_BPF	247
#endif

#define XDPMETA_KFUNC_PREFIX	"bpf_xdpmeta_"
/* The call that makes a dispatcher (kmod/chain.h): not a requirement. */
#define XDPMETA_KFUNC_CHAIN_RUN	"bpf_xdpmeta_chain_run"

/* A function: its section index and byte range. */
struct xdpmeta_bpfobj_func {
	size_t shndx;
	uint64_t start;
	uint64_t end;
};

#define XDPMETA_BPFOBJ_MAX_FUNCS	256

/* The ELF file as the call-graph walk needs it. */
struct xdpmeta_bpfobj_elf {
	Elf *elf;
	Elf_Data *syms;
	size_t nsyms;
	size_t strndx;
	size_t shstrndx;
	/* functions reached so far, and how many of them were scanned */
	struct xdpmeta_bpfobj_func funcs[XDPMETA_BPFOBJ_MAX_FUNCS];
	int nfuncs;
};

static void xdpmeta_bpfobj_add_kfunc(struct xdpmeta_bpfobj *o, const char *name)
{
	int i;

	/* before the list's limit: being one does not depend on room */
	if (!strcmp(name, XDPMETA_KFUNC_CHAIN_RUN))
		o->dispatcher = true;
	for (i = 0; i < o->nkfuncs; i++)
		if (!strcmp(o->kfuncs[i], name))
			return;
	if (o->nkfuncs == XDPMETA_BPFOBJ_MAX_KFUNCS)
		return;
	snprintf(o->kfuncs[o->nkfuncs++], sizeof(o->kfuncs[0]), "%s", name);
	o->calls |= xdpmeta_req_kfunc_call(name);
}

/* The symbol table section. */
static Elf_Scn *xdpmeta_bpfobj_symtab(Elf *elf, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == SHT_SYMTAB)
			return scn;
	return NULL;
}

static const char *xdpmeta_bpfobj_scn_name(const struct xdpmeta_bpfobj_elf *e,
					   size_t shndx)
{
	Elf_Scn *scn = elf_getscn(e->elf, shndx);
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh))
		return NULL;
	return elf_strptr(e->elf, e->shstrndx, sh.sh_name);
}

/*
 * Adds the function symbol of section shndx that is named name (when name
 * is not NULL) or that holds byte off, unless it was reached before.
 * Return: 0, or -1 when there is no such function.
 */
static int xdpmeta_bpfobj_reach(struct xdpmeta_bpfobj_elf *e, size_t shndx,
				const char *name, uint64_t off)
{
	size_t i;
	int k;

	for (i = 0; i < e->nsyms; i++) {
		struct xdpmeta_bpfobj_func f;
		GElf_Sym sym;
		const char *s;

		if (!gelf_getsym(e->syms, i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx != shndx)
			continue;
		if (name) {
			s = elf_strptr(e->elf, e->strndx, sym.st_name);
			if (!s || strcmp(s, name))
				continue;
		} else if (off < sym.st_value || off >= sym.st_value + sym.st_size) {
			continue;
		}
		f.shndx = shndx;
		f.start = sym.st_value;
		f.end = sym.st_value + sym.st_size;
		for (k = 0; k < e->nfuncs; k++)
			if (e->funcs[k].shndx == f.shndx && e->funcs[k].start == f.start)
				return 0;
		if (e->nfuncs < XDPMETA_BPFOBJ_MAX_FUNCS)
			e->funcs[e->nfuncs++] = f;
		return 0;
	}
	return -1;
}

/* The relocation section that applies to section shndx, or NULL. */
static Elf_Data *xdpmeta_bpfobj_rels(const struct xdpmeta_bpfobj_elf *e,
				     size_t shndx, size_t *n)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(e->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL ||
		    sh.sh_info != shndx || !sh.sh_entsize)
			continue;
		*n = sh.sh_size / sh.sh_entsize;
		return elf_getdata(scn, NULL);
	}
	return NULL;
}

/*
 * One function: records the xdpmeta kfuncs it calls (relocations against
 * undefined symbols) and reaches the subprograms it calls: a BPF-to-BPF
 * call (src_reg BPF_PSEUDO_CALL) goes imm + 1 instructions from the call,
 * counted from the symbol of its relocation when it has one (libbpf's
 * rule), else within the same section.
 */
static void xdpmeta_bpfobj_scan(struct xdpmeta_bpfobj_elf *e,
				const struct xdpmeta_bpfobj_func *f,
				struct xdpmeta_bpfobj *o)
{
	Elf_Scn *scn = elf_getscn(e->elf, f->shndx);
	Elf_Data *code = scn ? elf_getdata(scn, NULL) : NULL;
	size_t nrels = 0, i;
	Elf_Data *rels;
	uint64_t off;

	if (!code)
		return;
	rels = xdpmeta_bpfobj_rels(e, f->shndx, &nrels);
	for (off = f->start; off + sizeof(struct bpf_insn) <= f->end &&
	     off + sizeof(struct bpf_insn) <= code->d_size; off += sizeof(struct bpf_insn)) {
		struct bpf_insn insn;
		bool relocated = false;
		GElf_Sym sym;

		memcpy(&insn, (const char *)code->d_buf + off, sizeof(insn));
		for (i = 0; rels && i < nrels; i++) {
			const char *s;
			GElf_Rel rel;

			if (!gelf_getrel(rels, i, &rel) || rel.r_offset != off ||
			    !gelf_getsym(e->syms, GELF_R_SYM(rel.r_info), &sym))
				continue;
			relocated = true;
			if (sym.st_shndx != SHN_UNDEF)
				break;
			s = elf_strptr(e->elf, e->strndx, sym.st_name);
			if (s && !strncmp(s, XDPMETA_KFUNC_PREFIX,
					  strlen(XDPMETA_KFUNC_PREFIX)))
				xdpmeta_bpfobj_add_kfunc(o, s);
			break;
		}
		if (insn.code != (BPF_JMP | BPF_CALL) || insn.src_reg != BPF_PSEUDO_CALL)
			continue;
		if (relocated && sym.st_shndx != SHN_UNDEF && sym.st_shndx < SHN_LORESERVE)
			xdpmeta_bpfobj_reach(e, sym.st_shndx, NULL, sym.st_value +
					     ((int64_t)insn.imm + 1) * sizeof(insn));
		else if (!relocated)
			xdpmeta_bpfobj_reach(e, f->shndx, NULL, off +
					     ((int64_t)insn.imm + 1) * sizeof(insn));
	}
}

/* The program's function and every subprogram it reaches. */
static int xdpmeta_bpfobj_walk(struct xdpmeta_bpfobj_elf *e, const char *name,
			       const char *section, struct xdpmeta_bpfobj *o)
{
	size_t shndx = 0;
	Elf_Scn *scn = NULL;
	int k;

	while ((scn = elf_nextscn(e->elf, scn))) {
		const char *s = xdpmeta_bpfobj_scn_name(e, elf_ndxscn(scn));

		if (s && !strcmp(s, section)) {
			shndx = elf_ndxscn(scn);
			break;
		}
	}
	if (!shndx || xdpmeta_bpfobj_reach(e, shndx, name, 0))
		return -1;
	for (k = 0; k < e->nfuncs; k++)
		xdpmeta_bpfobj_scan(e, &e->funcs[k], o);
	return 0;
}

/*
 * Checks that path is a BPF ELF object and reads the kfunc calls of the
 * program name in section. Return: 0, or an exit status after a message.
 */
static int xdpmeta_bpfobj_elf(const char *path, const char *name,
			      const char *section, struct xdpmeta_bpfobj *o,
			      bool calls)
{
	static struct xdpmeta_bpfobj_elf e;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	Elf_Scn *scn;
	int fd, ret = 0;

	memset(&e, 0, sizeof(e));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail("check", path, "%s", strerror(errno));
	elf_version(EV_CURRENT);
	e.elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!e.elf || elf_kind(e.elf) != ELF_K_ELF || !gelf_getehdr(e.elf, &eh)) {
		ret = cli_fail("check", path, "not an ELF file (a BPF object is built with clang -target bpf)");
		goto out;
	}
	if (eh.e_machine != EM_BPF) {
		ret = cli_fail("check", path, "not a BPF object (ELF machine %u; a BPF object is built with clang -target bpf)",
			       (unsigned int)eh.e_machine);
		goto out;
	}
	if (!calls)
		goto out;
	scn = xdpmeta_bpfobj_symtab(e.elf, &sh);
	e.syms = scn ? elf_getdata(scn, NULL) : NULL;
	if (!e.syms || !sh.sh_entsize || elf_getshdrstrndx(e.elf, &e.shstrndx)) {
		ret = cli_fail("check", path, "it has no symbol table (was it stripped?)");
		goto out;
	}
	e.nsyms = sh.sh_size / sh.sh_entsize;
	e.strndx = sh.sh_link;
	if (xdpmeta_bpfobj_walk(&e, name, section, o))
		ret = cli_fail("check", path, "no function symbol for program %s in section %s",
			       name, section);
out:
	if (e.elf)
		elf_end(e.elf);
	close(fd);
	return ret;
}

/* Appends text to the ", "-separated list (as much as fits). */
static void xdpmeta_bpfobj_list_add(char *list, size_t len, const char *text,
				    const char *section)
{
	size_t used = strlen(list);

	if (used + strlen(text) + (section ? strlen(section) + 3 : 0) + 3 >= len)
		return;
	snprintf(list + used, len - used, "%s%s", used ? ", " : "", text);
	used = strlen(list);
	if (section)
		snprintf(list + used, len - used, " (%s)", section);
}

/*
 * Whether XDP program p fits sel: pass 0 matches function names (sel NULL
 * matches any), pass 1 section names.
 */
static bool xdpmeta_bpfobj_fits(const struct bpf_program *p, const char *sel,
				int pass)
{
	if (bpf_program__type(p) != BPF_PROG_TYPE_XDP)
		return false;
	if (!sel)
		return true;
	return !strcmp(pass ? bpf_program__section_name(p) : bpf_program__name(p),
		       sel);
}

struct bpf_program *xdpmeta_bpfobj_pick(struct bpf_object *obj,
					const char *sel, bool by_section,
					bool *several, char *why,
					size_t why_len)
{
	struct bpf_program *p, *found = NULL;
	char all[256] = "", fit[256] = "";
	int n = 0, pass;

	*several = false;
	/* A function name is unique; a section name (SEC("xdp")) may not be. */
	for (pass = 0; pass < (by_section && sel ? 2 : 1) && !n; pass++)
		bpf_object__for_each_program(p, obj) {
			if (bpf_program__type(p) == BPF_PROG_TYPE_XDP && !pass)
				xdpmeta_bpfobj_list_add(all, sizeof(all),
							bpf_program__name(p),
							by_section ? bpf_program__section_name(p) : NULL);
			if (!xdpmeta_bpfobj_fits(p, sel, pass))
				continue;
			xdpmeta_bpfobj_list_add(fit, sizeof(fit),
						bpf_program__name(p), NULL);
			found = p;
			n++;
		}
	if (n == 1)
		return found;
	if (!all[0])
		snprintf(why, why_len, "it has no XDP program (SEC(\"xdp\") or SEC(\"xdp.frags\"))");
	else if (!n)
		snprintf(why, why_len, "it has no XDP program %s'%s' (it has: %s)",
			 by_section ? "or section " : "", sel, all);
	else {
		*several = true;
		snprintf(why, why_len, "%s", fit);
	}
	return NULL;
}

/* The XDP program named prog, or the only one. NULL after a message. */
static struct bpf_program *xdpmeta_bpfobj_prog(const struct cli_cmd *cmd,
					       struct bpf_object *obj,
					       const char *path,
					       const char *prog, int *status)
{
	struct bpf_program *p;
	char why[CLI_WHY_LEN];
	bool several;

	p = xdpmeta_bpfobj_pick(obj, prog, false, &several, why, sizeof(why));
	if (p)
		return p;
	if (several)
		*status = cli_usage_error(cmd,
					  "%s has several XDP programs (%s): choose one with --prog NAME",
					  path, why);
	else
		*status = cli_fail("check", path, "%s", why);
	return NULL;
}

/* The declaration in the initial value of a read-only array map. */
static void xdpmeta_bpfobj_decl(struct bpf_object *obj, struct xdpmeta_bpfobj *o)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const void *val;
		size_t size;

		if (bpf_map__type(map) != BPF_MAP_TYPE_ARRAY ||
		    bpf_map__max_entries(map) != 1 ||
		    !(bpf_map__map_flags(map) & BPF_F_RDONLY_PROG))
			continue;
		val = bpf_map__initial_value(map, &size);
		if (val && xdpmeta_req_find(val, size, &o->decl)) {
			o->declared = true;
			return;
		}
	}
}

static int xdpmeta_bpfobj_read_here(const struct cli_cmd *cmd, const char *path,
				    const char *prog, struct xdpmeta_bpfobj *o)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	struct stat st;
	int ret;

	memset(o, 0, sizeof(*o));
	if (stat(path, &st))
		return cli_fail("check", path, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return cli_fail("check", path, "not a regular file");
	ret = xdpmeta_bpfobj_elf(path, NULL, NULL, o, false);
	if (ret)
		return ret;
	obj = bpf_object__open_file(path, NULL);
	if (!obj)
		return cli_fail("check", path, "libbpf cannot open it: %s (--verbose shows why)",
				strerror(errno));
	p = xdpmeta_bpfobj_prog(cmd, obj, path, prog, &ret);
	if (!p)
		goto out;
	snprintf(o->name, sizeof(o->name), "%s", bpf_program__name(p));
	/* libbpf gives the kernel the name cut to BPF_OBJ_NAME_LEN - 1 */
	snprintf(o->kname, sizeof(o->kname), "%.15s", o->name);
	snprintf(o->section, sizeof(o->section), "%s", bpf_program__section_name(p));
	/* libbpf adds BPF_F_XDP_HAS_FRAGS for SEC("xdp.frags...") only at load */
	o->frags = !strncmp(o->section, "xdp.frags", 9) ||
		   (bpf_program__flags(p) & BPF_F_XDP_HAS_FRAGS);
	/* libbpf sets it at open from the section: xdp/devmap, xdp/cpumap */
	o->attach_type = bpf_program__expected_attach_type(p);
	xdpmeta_bpfobj_decl(obj, o);
	ret = xdpmeta_bpfobj_elf(path, o->name, o->section, o, true);
out:
	bpf_object__close(obj);
	return ret;
}

/*
 * The file is untrusted input and Debian 12's libbpf (1.1) crashes on some
 * malformed objects (a NULL name into strcmp() in bpf_object__open_file(),
 * found by test/host/bpfobj_fuzz.c). So the reading runs in a child: a
 * crash there becomes an error message, not a crash of the CLI. Our own
 * ELF walk runs there too; bpfobj_fuzz.c fuzzes it in process.
 */
int xdpmeta_bpfobj_read(const struct cli_cmd *cmd, const char *path,
			const char *prog, struct xdpmeta_bpfobj *o)
{
	struct { int ret; struct xdpmeta_bpfobj o; } res;
	int p[2], status;
	ssize_t n = 0, r;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	if (pipe(p))
		return cli_fail("check", path, "pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return cli_fail("check", path, "fork: %s", strerror(errno));
	}
	if (!pid) {
		close(p[0]);
		memset(&res, 0, sizeof(res));
		res.ret = xdpmeta_bpfobj_read_here(cmd, path, prog, &res.o);
		fflush(stderr);
		_exit(write(p[1], &res, sizeof(res)) == sizeof(res) ? 0 : 1);
	}
	close(p[1]);
	while (n < (ssize_t)sizeof(res) &&
	       ((r = read(p[0], (char *)&res + n, sizeof(res) - n)) > 0 ||
		(r < 0 && errno == EINTR)))
		n += r > 0 ? r : 0;
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return cli_fail("check", path, "libbpf crashed reading it (%s): it is not a valid BPF object",
				strsignal(WTERMSIG(status)));
	if (n != sizeof(res))
		return cli_fail("check", path, "its reader ended without an answer");
	*o = res.o;
	return res.ret;
}
