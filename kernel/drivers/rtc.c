/* The CMOS real-time clock (MC146818): read once at boot to learn the
 * wall-clock time; CLOCK_REALTIME is that plus the time since boot. */
#include "kernel/drivers/rtc.h"
#include "kernel/x86.h"

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS   0x04
#define RTC_DAY	    0x07
#define RTC_MONTH   0x08
#define RTC_YEAR    0x09
#define RTC_REG_A   0x0a /* bit 7: update in progress */
#define RTC_REG_B   0x0b /* bit 1: 24-hour, bit 2: binary (else BCD) */

u64 boot_time_sec;

static u8 cmos_read(u8 reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static unsigned int bcd(u8 v, bool binary)
{
	return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, y >= 1970). */
static u64 days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
	/* Count from March so that the leap day ends the year. */
	if (m <= 2) {
		y--;
		m += 12;
	}
	return 365UL * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1 - 719468;
}

void rtc_init(void)
{
	u8 regb, hour;
	bool binary;
	unsigned int sec, min, h, day, mon, year;

	for (int spins = 0; spins < 1000000 && (cmos_read(RTC_REG_A) & 0x80); spins++)
		cpu_relax();
	regb = cmos_read(RTC_REG_B);
	binary = regb & 0x04;
	sec = bcd(cmos_read(RTC_SECONDS), binary);
	min = bcd(cmos_read(RTC_MINUTES), binary);
	hour = cmos_read(RTC_HOURS);
	h = bcd(hour & 0x7f, binary);
	if (!(regb & 0x02) && (hour & 0x80)) /* 12-hour clock, PM */
		h = h % 12 + 12;
	day = bcd(cmos_read(RTC_DAY), binary);
	mon = bcd(cmos_read(RTC_MONTH), binary);
	year = bcd(cmos_read(RTC_YEAR), binary) + 2000;
	boot_time_sec = days_since_epoch(year, mon, day) * 86400 + h * 3600 + min * 60 + sec;
}
