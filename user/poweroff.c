/* poweroff / reboot: ask the kernel to power the machine off (default) or,
 * with -r, to restart it, through reboot(2) with Linux's magic numbers. */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LINUX_REBOOT_MAGIC1	   0xfee1dead
#define LINUX_REBOOT_MAGIC2	   672274793
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc
#define LINUX_REBOOT_CMD_RESTART   0x01234567

int main(int argc, char **argv)
{
	long cmd = LINUX_REBOOT_CMD_POWER_OFF;

	if (argc > 1 && strcmp(argv[1], "-r") == 0)
		cmd = LINUX_REBOOT_CMD_RESTART;
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0);
	perror("poweroff");
	return 1;
}
