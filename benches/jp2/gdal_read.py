import sys, time, os
import rasterio
t = time.time()
with rasterio.open(sys.argv[1]) as d:
    a = d.read(1)
print({"seconds": round(time.time() - t, 3), "sum": int(a.sum(dtype="uint64")), "threads": os.environ.get("GDAL_NUM_THREADS")})
