/**
 * Moves the process's clock to a chosen instant (it then runs on normally), so that the local
 * runner and the demo can show a deployment window "on a Friday". Only the local tools use it;
 * the functions themselves always read the real time.
 */
export const installFixedClock = (iso: string): void => {
  const target = Date.parse(iso);
  if (Number.isNaN(target)) throw new Error(`--now: not a date-time: ${iso}`);
  const RealDate = Date;
  const offset = target - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
};
