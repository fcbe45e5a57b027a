import os, json
R=os.path.dirname(os.path.abspath(__file__))
def w(path, text=''):
    p=os.path.join(R,path); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p,'w').write(text)

# ---- S2 baseline 05.09 (GDAL fake_l2a_processing_baseline_5_09, trimmed)
P='S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_20230823T124759'
G='L2A_T34UCF_A033753_20230823T095553'
files=[f'R10m/T34UCF_20230823T095559_{b}_10m' for b in ['B02','B03','B04','B08','TCI','AOT','WVP']]+[f'R20m/T34UCF_20230823T095559_{b}_20m' for b in ['B04','B8A','SCL']]
imgs='\n'.join(f'                        <IMAGE_FILE>GRANULE/{G}/IMG_DATA/{f}</IMAGE_FILE>' for f in files)
offs='\n'.join(f'        <BOA_ADD_OFFSET band_id="{i}">-1000</BOA_ADD_OFFSET>' for i in range(13))
w(f's2/{P}.SAFE/MTD_MSIL2A.xml', f'''<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-2A_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd">
    <n1:General_Info>
        <Product_Info>
            <PRODUCT_START_TIME>2023-08-23T09:55:59.024Z</PRODUCT_START_TIME>
            <PRODUCT_STOP_TIME>2023-08-23T09:55:59.024Z</PRODUCT_STOP_TIME>
            <PRODUCT_URI>{P}.SAFE</PRODUCT_URI>
            <PROCESSING_LEVEL>Level-2A</PROCESSING_LEVEL>
            <PRODUCT_TYPE>S2MSI2A</PRODUCT_TYPE>
            <PROCESSING_BASELINE>05.09</PROCESSING_BASELINE>
            <PRODUCT_DOI>https://doi.org/10.5270/S2_-znk9xsj</PRODUCT_DOI>
            <GENERATION_TIME>2023-08-23T12:47:59.000000Z</GENERATION_TIME>
            <Datatake datatakeIdentifier="GS2B_20230823T095559_033753_N05.09">
      <SPACECRAFT_NAME>Sentinel-2B</SPACECRAFT_NAME>
      <DATATAKE_TYPE>INS-NOBS</DATATAKE_TYPE>
      <DATATAKE_SENSING_START>2023-08-23T09:55:59.024Z</DATATAKE_SENSING_START>
      <SENSING_ORBIT_NUMBER>122</SENSING_ORBIT_NUMBER>
      <SENSING_ORBIT_DIRECTION>ASCENDING</SENSING_ORBIT_DIRECTION>
    </Datatake>
<Query_Options completeSingleTile="true">
<PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT>
</Query_Options>
<Product_Organisation>
                <Granule_List>
                    <Granule datastripIdentifier="S2B_OPER_MSI_L2A_DS_2BPS_20230823T124759_S20230823T095553_N05.09" granuleIdentifier="S2B_OPER_MSI_L2A_TL_2BPS_20230823T124759_A033753_T34UCF_N05.09" imageFormat="JPEG2000">
{imgs}
                    </Granule>
                </Granule_List>
</Product_Organisation>
        </Product_Info>
        <Product_Image_Characteristics>
            <Special_Values>
                <SPECIAL_VALUE_TEXT>NODATA</SPECIAL_VALUE_TEXT>
                <SPECIAL_VALUE_INDEX>0</SPECIAL_VALUE_INDEX>
            </Special_Values>
            <Special_Values>
                <SPECIAL_VALUE_TEXT>SATURATED</SPECIAL_VALUE_TEXT>
                <SPECIAL_VALUE_INDEX>65535</SPECIAL_VALUE_INDEX>
            </Special_Values>
            <QUANTIFICATION_VALUES_LIST>
                <BOA_QUANTIFICATION_VALUE unit="none">10000</BOA_QUANTIFICATION_VALUE>
                <AOT_QUANTIFICATION_VALUE unit="none">1000.0</AOT_QUANTIFICATION_VALUE>
                <WVP_QUANTIFICATION_VALUE unit="cm">1000.0</WVP_QUANTIFICATION_VALUE>
            </QUANTIFICATION_VALUES_LIST>
            <BOA_ADD_OFFSET_VALUES_LIST>
{offs}
      </BOA_ADD_OFFSET_VALUES_LIST>
        </Product_Image_Characteristics>
    </n1:General_Info>
    <n1:Quality_Indicators_Info>
        <Cloud_Coverage_Assessment>6.859297</Cloud_Coverage_Assessment>
    </n1:Quality_Indicators_Info>
</n1:Level-2A_User_Product>
''')
def tl(ns, gi, ulx, uly):
    return f'''<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-2A_Tile_ID xmlns:n1="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <n1:General_Info>
{gi}
  </n1:General_Info>
  <n1:Geometric_Info>
    <Tile_Geocoding metadataLevel="Brief">
      <HORIZONTAL_CS_NAME>WGS84 / UTM zone 34N</HORIZONTAL_CS_NAME>
      <HORIZONTAL_CS_CODE>EPSG:32634</HORIZONTAL_CS_CODE>
      <Size resolution="10">
        <NROWS>10980</NROWS>
        <NCOLS>10980</NCOLS>
      </Size>
      <Size resolution="20">
        <NROWS>5490</NROWS>
        <NCOLS>5490</NCOLS>
      </Size>
      <Size resolution="60">
        <NROWS>1830</NROWS>
        <NCOLS>1830</NCOLS>
      </Size>
      <Geoposition resolution="10">
        <ULX>{ulx}</ULX>
        <ULY>{uly}</ULY>
        <XDIM>10</XDIM>
        <YDIM>-10</YDIM>
      </Geoposition>
      <Geoposition resolution="20">
        <ULX>{ulx}</ULX>
        <ULY>{uly}</ULY>
        <XDIM>20</XDIM>
        <YDIM>-20</YDIM>
      </Geoposition>
      <Geoposition resolution="60">
        <ULX>{ulx}</ULX>
        <ULY>{uly}</ULY>
        <XDIM>60</XDIM>
        <YDIM>-60</YDIM>
      </Geoposition>
    </Tile_Geocoding>
  </n1:Geometric_Info>
</n1:Level-2A_Tile_ID>
'''
w(f's2/{P}.SAFE/GRANULE/{G}/MTD_TL.xml', tl('https://psd-14.sentinel2.eo.esa.int/PSD/S2_PDI_Level-2A_Tile_Metadata.xsd','''    <L1C_TILE_ID metadataLevel="Brief">S2B_OPER_MSI_L1C_TL_2BPS_20230823T120234_A033753_T34UCF_N05.09</L1C_TILE_ID>
    <TILE_ID metadataLevel="Brief">S2B_OPER_MSI_L2A_TL_2BPS_20230823T124759_A033753_T34UCF_N05.09</TILE_ID>
    <SENSING_TIME metadataLevel="Standard">2023-08-23T10:05:35.271949Z</SENSING_TIME>''', 300000, 6100020))
for f in ['R10m/T34UCF_20230823T095559_B04_10m','R10m/T34UCF_20230823T095559_B08_10m','R20m/T34UCF_20230823T095559_SCL_20m']:
    w(f's2/{P}.SAFE/GRANULE/{G}/IMG_DATA/{f}.jp2')

# ---- S2 baseline 02.08 (GDAL fake_l2a_MSIL2A; tile metadata of the same tile from fake_l2a_MSIL2Ap)
P='S2A_MSIL2A_20180818T094031_N0208_R036_T34VFJ_20180818T120345'
G='L2A_T34VFJ_A016478_20180818T094030'
files=[f'R10m/T34VFJ_20180818T094031_{b}_10m' for b in ['B02','B03','B04','B08','TCI']]+[f'R20m/T34VFJ_20180818T094031_{b}_20m' for b in ['B04','SCL']]+['R60m/T34VFJ_20180818T094031_SCL_60m']
imgs='\n'.join(f'                        <IMAGE_FILE>GRANULE/{G}/IMG_DATA/{f}</IMAGE_FILE>' for f in files)
w(f's2/{P}.SAFE/MTD_MSIL2A.xml', f'''<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-2A_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd">
    <n1:General_Info>
        <Product_Info>
            <PRODUCT_START_TIME>2018-08-18T09:40:31.024Z</PRODUCT_START_TIME>
            <PRODUCT_STOP_TIME>2018-08-18T09:40:31.024Z</PRODUCT_STOP_TIME>
            <PRODUCT_URI>{P}.SAFE</PRODUCT_URI>
            <PROCESSING_LEVEL>Level-2A</PROCESSING_LEVEL>
            <PRODUCT_TYPE>S2MSI2A</PRODUCT_TYPE>
            <PROCESSING_BASELINE>02.08</PROCESSING_BASELINE>
            <GENERATION_TIME>2018-08-18T12:03:45.000000Z</GENERATION_TIME>
            <Datatake datatakeIdentifier="GS2A_20180818T094031_016478_N02.08">
      <SPACECRAFT_NAME>Sentinel-2A</SPACECRAFT_NAME>
      <DATATAKE_SENSING_START>2018-08-18T09:40:31.024Z</DATATAKE_SENSING_START>
      <SENSING_ORBIT_NUMBER>36</SENSING_ORBIT_NUMBER>
      <SENSING_ORBIT_DIRECTION>DESCENDING</SENSING_ORBIT_DIRECTION>
    </Datatake>
<Query_Options completeSingleTile="true">
<PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT>
</Query_Options>
<Product_Organisation>
                <Granule_List>
                    <Granule datastripIdentifier="S2A_OPER_MSI_L2A_DS_MTI__20180818T120345_S20180818T094030_N02.08" granuleIdentifier="S2A_OPER_MSI_L2A_TL_MTI__20180818T120345_A016478_T34VFJ_N02.08" imageFormat="JPEG2000">
{imgs}
                    </Granule>
                </Granule_List>
</Product_Organisation>
        </Product_Info>
        <Product_Image_Characteristics>
            <Special_Values>
                <SPECIAL_VALUE_TEXT>NODATA</SPECIAL_VALUE_TEXT>
                <SPECIAL_VALUE_INDEX>0</SPECIAL_VALUE_INDEX>
            </Special_Values>
            <Special_Values>
                <SPECIAL_VALUE_TEXT>SATURATED</SPECIAL_VALUE_TEXT>
                <SPECIAL_VALUE_INDEX>6</SPECIAL_VALUE_INDEX>
            </Special_Values>
            <QUANTIFICATION_VALUES_LIST>
                <BOA_QUANTIFICATION_VALUE unit="none">10000</BOA_QUANTIFICATION_VALUE>
                <AOT_QUANTIFICATION_VALUE unit="none">1000.0</AOT_QUANTIFICATION_VALUE>
                <WVP_QUANTIFICATION_VALUE unit="cm">1000.0</WVP_QUANTIFICATION_VALUE>
            </QUANTIFICATION_VALUES_LIST>
        </Product_Image_Characteristics>
    </n1:General_Info>
</n1:Level-2A_User_Product>
''')
w(f's2/{P}.SAFE/GRANULE/{G}/MTD_TL.xml', tl('https://psd-12.sentinel2.eo.esa.int/PSD/S2_PDI_Level-2A_Tile_Metadata.xsd','''    <TILE_ID_2A metadataLevel="Brief">S2A_USER_MSI_L2A_TL_SGS__20170823T133142_A011330_T34VFJ_N02.05</TILE_ID_2A>
    <SENSING_TIME metadataLevel="Standard">2017-08-23T09:42:52.161Z</SENSING_TIME>''', 600000, 6400020))
for f in ['R10m/T34VFJ_20180818T094031_B04_10m','R10m/T34VFJ_20180818T094031_B08_10m','R20m/T34VFJ_20180818T094031_SCL_20m']:
    w(f's2/{P}.SAFE/GRANULE/{G}/IMG_DATA/{f}.jp2')

# ---- S2 "2Ap" layout, baseline 02.05 (GDAL fake_l2a_MSIL2Ap)
P='S2A_MSIL2A_20170823T094031_N0205_R036_T34VFJ_20170823T094252'
G='L2A_T34VFJ_A011330_20170823T094252'
files=[f'R20m/L2A_T34VFJ_20170823T094031_{b}_20m' for b in ['B04','SCL']]+[f'R10m/L2A_T34VFJ_20170823T094031_{b}_10m' for b in ['B02','B03','B04','B08','TCI']]
imgs='\n'.join(f'            <IMAGE_FILE_2A>GRANULE/{G}/IMG_DATA/{f}</IMAGE_FILE_2A>' for f in files)
w(f's2/{P}.SAFE/MTD_MSIL2A.xml', f'''<?xml version="1.0"  encoding="UTF-8"?>
<n1:Level-2A_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd">
  <n1:General_Info>
    <L2A_Product_Info>
      <PRODUCT_START_TIME>2017-08-23T09:40:31.026Z</PRODUCT_START_TIME>
      <PRODUCT_STOP_TIME>2017-08-23T09:40:31.026Z</PRODUCT_STOP_TIME>
      <PRODUCT_URI_1C>S2A_MSIL1C_20170823T094031_N0205_R036_T34VFJ_20170823T094252.SAFE</PRODUCT_URI_1C>
      <PRODUCT_URI_2A>{P}.SAFE</PRODUCT_URI_2A>
      <PROCESSING_LEVEL>Level-2Ap</PROCESSING_LEVEL>
      <PRODUCT_TYPE>S2MSI2Ap</PRODUCT_TYPE>
      <PROCESSING_BASELINE>02.05</PROCESSING_BASELINE>
      <GENERATION_TIME>2017-08-25T08:50:10Z</GENERATION_TIME>
      <L2A_Product_Organisation>
        <Granule_List>
          <Granule granuleIdentifier="S2A_USER_MSI_L2A_TL_SGS__20170823T133142_A011330_T34VFJ_N02.05" datastripIdentifier="S2A_USER_MSI_L2A_DS_SGS__20170823T133142_S20170823T094252_N02.05" imageFormat="JPEG2000">
{imgs}
          </Granule>
        </Granule_List>
      </L2A_Product_Organisation>
    </L2A_Product_Info>
    <L2A_Product_Image_Characteristics>
      <Special_Values>
        <SPECIAL_VALUE_TEXT>NODATA</SPECIAL_VALUE_TEXT>
        <SPECIAL_VALUE_INDEX>0</SPECIAL_VALUE_INDEX>
      </Special_Values>
      <L1C_L2A_Quantification_Values_List>
        <L1C_TOA_QUANTIFICATION_VALUE unit="none">10000</L1C_TOA_QUANTIFICATION_VALUE>
        <L2A_BOA_QUANTIFICATION_VALUE unit="none">10000</L2A_BOA_QUANTIFICATION_VALUE>
        <L2A_AOT_QUANTIFICATION_VALUE unit="none">1000.0</L2A_AOT_QUANTIFICATION_VALUE>
      </L1C_L2A_Quantification_Values_List>
    </L2A_Product_Image_Characteristics>
  </n1:General_Info>
</n1:Level-2A_User_Product>
''')
w(f's2/{P}.SAFE/GRANULE/{G}/MTD_TL.xml', tl('https://psd-12.sentinel2.eo.esa.int/PSD/S2_PDI_Level-2A_Tile_Metadata.xsd','''    <TILE_ID_2A metadataLevel="Brief">S2A_USER_MSI_L2A_TL_SGS__20170823T133142_A011330_T34VFJ_N02.05</TILE_ID_2A>
    <SENSING_TIME metadataLevel="Standard">2017-08-23T09:42:52.161Z</SENSING_TIME>''', 600000, 6400020))
for f in ['R10m/L2A_T34VFJ_20170823T094031_B04_10m','R10m/L2A_T34VFJ_20170823T094031_B08_10m','R20m/L2A_T34VFJ_20170823T094031_SCL_20m']:
    w(f's2/{P}.SAFE/GRANULE/{G}/IMG_DATA/{f}.jp2')

# ---- S2 L1C (GDAL fake_l1c_processing_baseline_5_09, trimmed)
P='S2B_MSIL1C_20230823T095559_N0509_R122_T34UCF_20230823T120234'
w(f's2/{P}.SAFE/MTD_MSIL1C.xml', f'''<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-1C_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-1C.xsd">
    <n1:General_Info>
        <Product_Info>
            <PRODUCT_START_TIME>2023-08-23T09:55:59.024Z</PRODUCT_START_TIME>
            <PRODUCT_URI>{P}.SAFE</PRODUCT_URI>
            <PROCESSING_LEVEL>Level-1C</PROCESSING_LEVEL>
            <PRODUCT_TYPE>S2MSI1C</PRODUCT_TYPE>
            <PROCESSING_BASELINE>05.09</PROCESSING_BASELINE>
        </Product_Info>
    </n1:General_Info>
</n1:Level-1C_User_Product>
''')

# ---- Landsat 9 C2 L2 (written for reclaim after the USGS C2 L2 MTL layout)
P='LC09_L2SP_119029_20240601_20240602_02_T1'
def landsat(P, craft, sensor, path, row, date, time, bands, red, nir):
    groups = {
      'PRODUCT_CONTENTS': {
        'ORIGIN': 'Image courtesy of the U.S. Geological Survey',
        'DIGITAL_OBJECT_IDENTIFIER': 'https://doi.org/10.5066/P9OGBGM6',
        'LANDSAT_PRODUCT_ID': P,
        'PROCESSING_LEVEL': 'L2SP',
        'COLLECTION_NUMBER': '02',
        'COLLECTION_CATEGORY': 'T1',
        'OUTPUT_FORMAT': 'GEOTIFF',
        **{f'FILE_NAME_BAND_{b}': f'{P}_SR_B{b}.TIF' for b in bands},
        'FILE_NAME_QUALITY_L1_PIXEL': f'{P}_QA_PIXEL.TIF',
        'FILE_NAME_QUALITY_L2_AEROSOL' if craft in ('LANDSAT_8','LANDSAT_9') else 'FILE_NAME_ATMOSPHERIC_OPACITY': f'{P}_SR_QA_AEROSOL.TIF' if craft in ('LANDSAT_8','LANDSAT_9') else f'{P}_SR_ATMOS_OPACITY.TIF',
        'FILE_NAME_METADATA_ODL': f'{P}_MTL.txt',
        'FILE_NAME_METADATA_XML': f'{P}_MTL.xml',
        'DATA_TYPE_BAND_1': 'UINT16',
      },
      'IMAGE_ATTRIBUTES': {
        'SPACECRAFT_ID': craft, 'SENSOR_ID': sensor, 'WRS_TYPE': '2',
        'WRS_PATH': str(path), 'WRS_ROW': str(row), 'NADIR_OFFNADIR': 'NADIR',
        'TARGET_WRS_PATH': str(path), 'TARGET_WRS_ROW': str(row),
        'DATE_ACQUIRED': date, 'SCENE_CENTER_TIME': time,
        'STATION_ID': 'LGN', 'CLOUD_COVER': '12.34', 'CLOUD_COVER_LAND': '12.34',
      },
      'PROJECTION_ATTRIBUTES': {
        'MAP_PROJECTION': 'UTM', 'DATUM': 'WGS84', 'ELLIPSOID': 'WGS84', 'UTM_ZONE': '51',
        'GRID_CELL_SIZE_REFLECTIVE': '30.00', 'ORIENTATION': 'NORTH_UP', 'RESAMPLING_OPTION': 'CUBIC_CONVOLUTION',
      },
      'LEVEL2_PROCESSING_RECORD': {
        'ORIGIN': 'Image courtesy of the U.S. Geological Survey',
        'LANDSAT_PRODUCT_ID': P, 'PROCESSING_LEVEL': 'L2SP',
      },
      'LEVEL2_SURFACE_REFLECTANCE_PARAMETERS': {},
    }
    sr = groups['LEVEL2_SURFACE_REFLECTANCE_PARAMETERS']
    for b in bands:
        sr[f'REFLECTANCE_MAXIMUM_BAND_{b}'] = '1.602213'
        sr[f'REFLECTANCE_MINIMUM_BAND_{b}'] = '-0.199972'
    for b in bands:
        sr[f'QUANTIZE_CAL_MAX_BAND_{b}'] = '65535'
        sr[f'QUANTIZE_CAL_MIN_BAND_{b}'] = '1'
    for b in bands:
        sr[f'REFLECTANCE_MULT_BAND_{b}'] = '2.75E-05'
    for b in bands:
        sr[f'REFLECTANCE_ADD_BAND_{b}'] = '-0.200000'
    d = f'landsat/{P}'
    w(f'{d}/{P}_MTL.json', json.dumps({'LANDSAT_METADATA_FILE': groups}, indent=4) + '\n')
    lines = ['GROUP = LANDSAT_METADATA_FILE']
    for g, kv in groups.items():
        lines.append(f'  GROUP = {g}')
        for k, v in kv.items():
            num = k.startswith(('WRS_', 'TARGET_WRS', 'REFLECTANCE_', 'QUANTIZE_', 'UTM_', 'GRID_', 'CLOUD_', 'COLLECTION_NUMBER')) or k == 'DATE_ACQUIRED'
            lines.append(f'    {k} = {v}' if num else f'    {k} = "{v}"')
        lines.append(f'  END_GROUP = {g}')
    lines += ['END_GROUP = LANDSAT_METADATA_FILE', 'END']
    w(f'{d}/{P}_MTL.txt', '\n'.join(lines) + '\n')
    for b in (red, nir):
        w(f'{d}/{P}_SR_B{b}.TIF')
    w(f'{d}/{P}_QA_PIXEL.TIF')
landsat('LC09_L2SP_119029_20240601_20240602_02_T1', 'LANDSAT_9', 'OLI_TIRS', 119, 29, '2024-06-01', '02:31:12.4563210Z', [1,2,3,4,5,6,7], 4, 5)
landsat('LE07_L2SP_090084_20210331_20210426_02_T1', 'LANDSAT_7', 'ETM', 90, 84, '2021-03-31', '23:31:51.7392690Z', [1,2,3,4,5,7], 3, 4)
# Landsat 7's folder carries only the text MTL.
os.remove(os.path.join(R, 'landsat/LE07_L2SP_090084_20210331_20210426_02_T1/LE07_L2SP_090084_20210331_20210426_02_T1_MTL.json'))

# ---- manifests
for f in ['a_red.tif','a_nir.tif','a_scl.tif','b_stack.tif','b_qa.tif']:
    w(f'manifest/rasters/{f}')
w('manifest/scenes.csv', '''id,date,red,nir,mask,mask_preset,mask_factor,scale,offset
a,2024-06-03,rasters/a_red.tif,rasters/a_nir.tif,rasters/a_scl.tif,scl,2,0.0001,-0.1
b,2024-07-15,rasters/b_stack.tif,rasters/b_stack.tif,,,,0.0000275,-0.2
''')
w('manifest/scenes.toml', '''# The same two scenes as scenes.csv, with band numbers and mask values.
[[scene]]
id = "a"
date = "2024-06-03"
red = "rasters/a_red.tif"
nir = "rasters/a_nir.tif"
mask = "rasters/a_scl.tif"
mask_preset = "scl"
mask_factor = 2
scale = 0.0001
offset = -0.1

[[scene]]
id = "b"
date = "2024-07-15"
red = "rasters/b_stack.tif"
red_band = 3
nir = "rasters/b_stack.tif"
nir_band = 4
mask = "rasters/b_qa.tif"
mask_values = [3, 8, 9]
mask_bits = [3, 4]
scale = 0.0000275
offset = -0.2
nodata = 0
tile = "119029"
''')
