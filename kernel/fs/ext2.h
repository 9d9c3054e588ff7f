/* The ext2 file system's on-disk format (Linux's fs/ext2/ext2.h, the
 * parts a driver that reads and overwrites data blocks needs) and the driver's entry points. All
 * fields are little-endian, as x86 is. */
#ifndef KERNEL_FS_EXT2_H
#define KERNEL_FS_EXT2_H

#include "kernel/types.h"

#define EXT2_SUPER_MAGIC	 0xEF53
#define EXT2_SUPERBLOCK_OFFSET	 1024 /* bytes from the partition's start */
#define EXT2_ROOT_INO		 2
#define EXT2_GOOD_OLD_REV	 0
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_NDIR_BLOCKS	 12 /* i_block[0..11]: data blocks */
#define EXT2_IND_BLOCK		 12 /* then single, double, triple indirect */
#define EXT2_N_BLOCKS		 15
#define EXT2_MAX_BLOCK_LOG	 2 /* 1, 2 or 4 KiB blocks: at most a page */

/* s_feature_incompat: the only one we understand (file type in
 * directory entries); any other makes the file system unreadable. */
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
/* s_feature_ro_compat: a writer must understand these. Overwriting data
 * blocks (all this driver writes) is safe with sparse superblock copies
 * and 64-bit sizes; any other (e.g. a B-tree directory index, checksums)
 * makes the mount read-only. */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE   0x0002
#define EXT2_FEATURE_RO_COMPAT_SUPP \
	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE)
/* s_state: cleanly unmounted, and no error found. */
#define EXT2_VALID_FS 0x0001
#define EXT2_ERROR_FS 0x0002

struct ext2_super_block {
	u32 s_inodes_count;
	u32 s_blocks_count;
	u32 s_r_blocks_count;
	u32 s_free_blocks_count;
	u32 s_free_inodes_count;
	u32 s_first_data_block;
	u32 s_log_block_size; /* block size = 1024 << this */
	u32 s_log_frag_size;
	u32 s_blocks_per_group;
	u32 s_frags_per_group;
	u32 s_inodes_per_group;
	u32 s_mtime, s_wtime;
	u16 s_mnt_count, s_max_mnt_count;
	u16 s_magic;
	u16 s_state, s_errors, s_minor_rev_level;
	u32 s_lastcheck, s_checkinterval, s_creator_os;
	u32 s_rev_level;
	u16 s_def_resuid, s_def_resgid;
	/* EXT2_DYNAMIC_REV (1) only: */
	u32 s_first_ino;
	u16 s_inode_size;
	u16 s_block_group_nr;
	u32 s_feature_compat, s_feature_incompat, s_feature_ro_compat;
	u8 s_uuid[16];
	char s_volume_name[16];
} __packed;

struct ext2_group_desc {
	u32 bg_block_bitmap;
	u32 bg_inode_bitmap;
	u32 bg_inode_table; /* first block of the group's inode table */
	u16 bg_free_blocks_count, bg_free_inodes_count, bg_used_dirs_count;
	u16 bg_pad;
	u32 bg_reserved[3];
} __packed;

struct ext2_inode {
	u16 i_mode;
	u16 i_uid;
	u32 i_size;
	u32 i_atime, i_ctime, i_mtime, i_dtime;
	u16 i_gid;
	u16 i_links_count;
	u32 i_blocks; /* 512-byte sectors, indirect blocks included */
	u32 i_flags;
	u32 i_osd1;
	u32 i_block[EXT2_N_BLOCKS];
	u32 i_generation;
	u32 i_file_acl;
	u32 i_size_high; /* regular files: the top 32 bits of the size */
} __packed;

struct ext2_dir_entry_2 {
	u32 inode;   /* 0: unused entry */
	u16 rec_len; /* bytes to the next entry */
	u8 name_len;
	u8 file_type;
	char name[];
} __packed;

/* An entry's smallest size: the header and the name, rounded to 4. */
#define EXT2_DIR_REC_LEN(name_len) (((name_len) + 8 + 3) & ~3u)

struct block_device;
struct inode;

/* Reads the superblock and the group descriptors of bdev, checks them,
 * and returns the root directory's inode (referenced) in *root. Returns 0,
 * -EINVAL (not ext2, or a feature or geometry we cannot read), -EIO or
 * -ENOMEM; a one-line "EXT2-fs (dev): error: ..." says which. */
int ext2_fill_super(struct block_device *bdev, struct inode **root);

/* Mounts sda1 at /mnt (made if absent): read-write when the file system
 * is clean and has no read-only-compatible feature we do not know, else
 * read-only with a message saying why. Returns 0 (also when already
 * mounted) or -errno; the system runs on without it. */
int ext2_mount_root_disk(void);

#endif
