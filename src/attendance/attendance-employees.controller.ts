import { Controller, Delete, Get, Param, Put, UploadedFile } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { ImageUpload } from '../media/image-upload.interceptor';
import { AttendanceImageUrls } from './attendance-image-urls';
import { AttendanceEmployeesService } from './attendance-employees.service';
import { employeeWire, UrlOf } from './attendance.wire';
import { AttendanceEmployeeDto, EmployeeImageUploadDto } from './dto/employee-image.dto';

/** Employees in the seed's shape, and their photos (the records themselves live at /api/employees). */
@ApiTags('attendance')
@Controller('api/attendance/employees')
@Authenticated({ roles: ['admin', 'manager'] })
export class AttendanceEmployeesController {
  private readonly url: UrlOf;

  constructor(
    private readonly employees: AttendanceEmployeesService,
    urls: AttendanceImageUrls,
  ) {
    this.url = urls.url;
  }

  @Get()
  @ApiOkResponse({ type: [AttendanceEmployeeDto] })
  async list(): Promise<AttendanceEmployeeDto[]> {
    return (await this.employees.list()).map((e) => employeeWire(e, this.url));
  }

  @Put(':id/image')
  @ImageUpload('image')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: EmployeeImageUploadDto })
  @ApiOkResponse({ type: AttendanceEmployeeDto })
  async setImage(@Param('id', ParseIdPipe) id: number, @UploadedFile() image?: Express.Multer.File): Promise<AttendanceEmployeeDto> {
    return employeeWire(await this.employees.setImage(id, image), this.url);
  }

  @Delete(':id/image')
  @ApiOkResponse({ type: AttendanceEmployeeDto })
  async removeImage(@Param('id', ParseIdPipe) id: number): Promise<AttendanceEmployeeDto> {
    return employeeWire(await this.employees.removeImage(id), this.url);
  }
}
