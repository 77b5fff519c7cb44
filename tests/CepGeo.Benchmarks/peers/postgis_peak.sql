-- compare.sh's probe, run in the same session after postgis_case.sql: the server backend's peak
-- resident memory (VmHWM), read from /proc by the superuser.
SELECT 'PEAK_KB ' || substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'VmHWM:\s*(\d+) kB');
