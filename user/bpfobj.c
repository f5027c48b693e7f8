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
 * against an undefined symbol of that name; one in the program's own
 * function counts for it, one in .text (where clang puts the subprograms
 * programs share) counts for every program of the object, as this file
 * cannot tell which programs reach which subprogram without linking them.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "cli.h"

#ifndef EM_BPF
#define EM_BPF	247
#endif

#define XDPMETA_KFUNC_PREFIX	"bpf_xdpmeta_"

/* The program's function: its section index and byte range. */
struct xdpmeta_bpfobj_func {
	size_t shndx;
	uint64_t start;
	uint64_t end;
};

static void xdpmeta_bpfobj_add_kfunc(struct xdpmeta_bpfobj *o, const char *name)
{
	int i;

	for (i = 0; i < o->nkfuncs; i++)
		if (!strcmp(o->kfuncs[i], name))
			return;
	if (o->nkfuncs == XDPMETA_BPFOBJ_MAX_KFUNCS)
		return;
	snprintf(o->kfuncs[o->nkfuncs++], sizeof(o->kfuncs[0]), "%s", name);
	o->calls |= xdpmeta_req_kfunc_call(name);
}

/* The symbol table: its section's data and string table index. */
static Elf_Scn *xdpmeta_bpfobj_symtab(Elf *elf, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == SHT_SYMTAB)
			return scn;
	return NULL;
}

/* Finds the program's function symbol. Return: 0, or -1. */
static int xdpmeta_bpfobj_find_func(Elf *elf, Elf_Data *syms, size_t strndx,
				    size_t nsyms, const char *name,
				    const char *section,
				    struct xdpmeta_bpfobj_func *f)
{
	size_t shstrndx, i;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return -1;
	for (i = 0; i < nsyms; i++) {
		GElf_Sym sym;
		GElf_Shdr sh;
		const char *s;
		Elf_Scn *scn;

		if (!gelf_getsym(syms, i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
			continue;
		s = elf_strptr(elf, strndx, sym.st_name);
		if (!s || strcmp(s, name))
			continue;
		scn = elf_getscn(elf, sym.st_shndx);
		if (!scn || !gelf_getshdr(scn, &sh))
			continue;
		s = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!s || strcmp(s, section))
			continue;
		f->shndx = sym.st_shndx;
		f->start = sym.st_value;
		f->end = sym.st_value + sym.st_size;
		return 0;
	}
	return -1;
}

/* Records the xdpmeta kfuncs the program's code and .text refer to. */
static void xdpmeta_bpfobj_scan_relocs(Elf *elf, Elf_Data *syms, size_t strndx,
				       const struct xdpmeta_bpfobj_func *f,
				       struct xdpmeta_bpfobj *o)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh, target;
		Elf_Scn *tscn;
		const char *tname;
		bool text;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_REL || !sh.sh_entsize)
			continue;
		tscn = elf_getscn(elf, sh.sh_info);
		if (!tscn || !gelf_getshdr(tscn, &target))
			continue;
		tname = elf_strptr(elf, shstrndx, target.sh_name);
		text = tname && !strcmp(tname, ".text");
		if (sh.sh_info != f->shndx && !text)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Rel rel;
			GElf_Sym sym;
			const char *s;

			if (!gelf_getrel(data, i, &rel) ||
			    !gelf_getsym(syms, GELF_R_SYM(rel.r_info), &sym) ||
			    sym.st_shndx != SHN_UNDEF)
				continue;
			if (!text && (rel.r_offset < f->start || rel.r_offset >= f->end))
				continue;
			s = elf_strptr(elf, strndx, sym.st_name);
			if (s && !strncmp(s, XDPMETA_KFUNC_PREFIX,
					  strlen(XDPMETA_KFUNC_PREFIX)))
				xdpmeta_bpfobj_add_kfunc(o, s);
		}
	}
}

/*
 * Checks that path is a BPF ELF object and reads the kfunc calls of the
 * program name in section. Return: 0, or an exit status after a message.
 */
static int xdpmeta_bpfobj_elf(const char *path, const char *name,
			      const char *section, struct xdpmeta_bpfobj *o,
			      bool calls)
{
	struct xdpmeta_bpfobj_func f;
	Elf_Data *syms;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	Elf_Scn *scn;
	Elf *elf;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail("check", path, "%s", strerror(errno));
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
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
	scn = xdpmeta_bpfobj_symtab(elf, &sh);
	syms = scn ? elf_getdata(scn, NULL) : NULL;
	if (!syms || !sh.sh_entsize) {
		ret = cli_fail("check", path, "it has no symbol table (was it stripped?)");
		goto out;
	}
	if (xdpmeta_bpfobj_find_func(elf, syms, sh.sh_link, sh.sh_size / sh.sh_entsize,
				     name, section, &f)) {
		ret = cli_fail("check", path, "no function symbol for program %s in section %s",
			       name, section);
		goto out;
	}
	xdpmeta_bpfobj_scan_relocs(elf, syms, sh.sh_link, &f, o);
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

/* The XDP program named prog, or the only one. NULL after a message. */
static struct bpf_program *xdpmeta_bpfobj_prog(const struct cli_cmd *cmd,
					       struct bpf_object *obj,
					       const char *path,
					       const char *prog, int *status)
{
	struct bpf_program *p, *found = NULL;
	char list[256] = "";
	int n = 0;

	bpf_object__for_each_program(p, obj) {
		const char *name = bpf_program__name(p);

		if (bpf_program__type(p) != BPF_PROG_TYPE_XDP)
			continue;
		if (prog && strcmp(name, prog))
			goto add;
		found = p;
		n++;
add:
		if (strlen(list) + strlen(name) + 3 < sizeof(list))
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s%s", list[0] ? ", " : "", name);
	}
	if (n == 1)
		return found;
	*status = CLI_EXIT_ERR;
	if (!list[0])
		cli_fail("check", path, "it has no XDP program (SEC(\"xdp\") or SEC(\"xdp.frags\"))");
	else if (prog)
		cli_fail("check", path, "it has no XDP program '%s' (it has: %s)",
			 prog, list);
	else
		*status = cli_usage_error(cmd,
					  "%s has several XDP programs (%s): choose one with --prog NAME",
					  path, list);
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

int xdpmeta_bpfobj_read(const struct cli_cmd *cmd, const char *path,
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
	xdpmeta_bpfobj_decl(obj, o);
	ret = xdpmeta_bpfobj_elf(path, o->name, o->section, o, true);
out:
	bpf_object__close(obj);
	return ret;
}
