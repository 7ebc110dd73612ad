// SPDX-License-Identifier: GPL-2.0
/*
 * oracle_debugfs.c - the debugfs files both modules are driven through
 * (ptb_oracle.ko, ptb_v7s_ref.ko): "trace" takes a .ptb, "run" replays it
 * (a failure is the write's error, its reason in "error"), "result" prints
 * what the module's result_show gives, all under one mutex.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/version.h>

#include "oracle.h"

/*
 * no_llseek is gone from 6.12 (cb787f4ac0c2 "[tree-wide] finally take
 * no_llseek out", after 868941b14441 "fs: remove no_llseek" had made it NULL):
 * a NULL .llseek means the file cannot seek, as no_llseek did.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define ORACLE_NO_LLSEEK .llseek = no_llseek,
#else
#define ORACLE_NO_LLSEEK
#endif

static struct oracle_debugfs *of_file(struct file *f)
{
	return file_inode(f)->i_private;
}

static ssize_t trace_write(struct file *f, const char __user *ubuf, size_t count, loff_t *ppos)
{
	struct oracle_debugfs *d = of_file(f);
	ssize_t ret;

	mutex_lock(&d->lock);
	ret = oracle_trace_buf_write(&d->trace, ubuf, count, ppos);
	mutex_unlock(&d->lock);
	return ret;
}

static ssize_t run_write(struct file *f, const char __user *ubuf, size_t count, loff_t *ppos)
{
	struct oracle_debugfs *d = of_file(f);
	int ret;

	mutex_lock(&d->lock);
	d->error[0] = '\0';
	ret = d->run(&d->trace, d->error, sizeof(d->error));
	if (ret)
		pr_err("%s: %s (%d)\n", d->name, d->error, ret);
	mutex_unlock(&d->lock);
	return ret ? ret : count;
}

static int error_show(struct seq_file *m, void *v)
{
	struct oracle_debugfs *d = m->private;

	mutex_lock(&d->lock);
	if (d->error[0])
		seq_printf(m, "%s\n", d->error);
	mutex_unlock(&d->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(error);

static int result_show(struct seq_file *m, void *v)
{
	struct oracle_debugfs *d = m->private;
	int ret;

	mutex_lock(&d->lock);
	ret = d->result_show(m);
	mutex_unlock(&d->lock);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(result);

static const struct file_operations trace_fops = {
	.owner = THIS_MODULE,
	.write = trace_write,
	ORACLE_NO_LLSEEK
};

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.write = run_write,
	ORACLE_NO_LLSEEK
};

int oracle_debugfs_create(struct oracle_debugfs *d)
{
	mutex_init(&d->lock);
	d->dir = debugfs_create_dir(d->name, NULL);
	if (IS_ERR(d->dir))
		return PTR_ERR(d->dir);
	debugfs_create_file("trace", 0200, d->dir, d, &trace_fops);
	debugfs_create_file("run", 0200, d->dir, d, &run_fops);
	debugfs_create_file("result", 0400, d->dir, d, &result_fops);
	debugfs_create_file("error", 0400, d->dir, d, &error_fops);
	return 0;
}

void oracle_debugfs_destroy(struct oracle_debugfs *d)
{
	debugfs_remove_recursive(d->dir);
	oracle_trace_buf_free(&d->trace);
}
